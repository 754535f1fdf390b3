package io.finhub.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.store.Store;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Results are keyed by the data version they were built on: rebuilt when it moves, published as attribution_update. */
class AttributionFreshnessTest {

    @Test
    void a_committed_change_rebuilds_the_results_and_publishes_an_update() {
        try (Store store = AttributionFixtures.store("journeys")) {
            AttributionEvents events = new AttributionEvents();
            List<AttributionUpdate> updates = new ArrayList<>();
            events.subscribe(updates::add);
            AttributionService attribution = new AttributionService(store, AttributionSettings.DEFAULTS, events, Runnable::run);
            attribution.start();
            // start() builds every model of the configured results on the current version (1).
            assertThat(updates).singleElement().satisfies(update -> {
                assertThat(update.kind()).isEqualTo(AttributionUpdate.Kind.MARKETING);
                assertThat(update.dataVersion()).isEqualTo(1);
                assertThat(update.models()).containsExactly(AttributionModel.values());
            });
            // A new 60.00 USD deal on j4 (search, email): the rebuild runs on commit; LINEAR gives search and email 30.00 more.
            store.write("test", List.of("fact_conversion"), handle -> handle.execute(
                    "INSERT INTO fact_conversion VALUES ('d4', 'j4', 'c4', 'core', 'NEW_BUSINESS', TIMESTAMP '2025-05-03 09:00:00', 60.00, 'USD')"));
            assertThat(updates).hasSize(2);
            assertThat(updates.get(1).dataVersion()).isEqualTo(2);
            long builtOn = store.jdbi().withHandle(handle -> handle.createQuery("SELECT data_version FROM attribution_build WHERE build_id = 'default'")
                    .mapTo(Long.class).one());
            assertThat(builtOn).isEqualTo(2);
            AttributionReport report = attribution.report(AttributionQuery.of(List.of(AttributionModel.LINEAR), AttributionGrouping.CHANNEL, AttributionSettings.DEFAULTS));
            assertThat(report.attributableRevenue()).isEqualByComparingTo("530.00");
            assertThat(report.models().get(0).rows()).extracting(row -> row.key() + " " + row.attributedRevenue())
                    .contains("search 177.50", "email 187.50");
            assertThat(updates).hasSize(2);
        }
    }

    @Test
    void a_change_to_tables_attribution_does_not_read_carries_the_results_to_the_new_version() {
        try (Store store = AttributionFixtures.store("journeys")) {
            AttributionService attribution = AttributionFixtures.service(store);
            attribution.start();
            String builtAt = builtAt(store);
            store.write("test", List.of("fact_spend"), handle -> handle.execute(
                    "INSERT INTO fact_spend VALUES ('sp1', DATE '2025-03-01', 'mkt', 'search', NULL, NULL, NULL, 'MEDIA', 100.00, 'USD')"));
            long carriedTo = store.jdbi().withHandle(handle -> handle.createQuery("SELECT data_version FROM attribution_build WHERE build_id = 'default'")
                    .mapTo(Long.class).one());
            assertThat(carriedTo).isEqualTo(2);
            assertThat(builtAt(store)).isEqualTo(builtAt);
        }
    }

    @Test
    void a_change_attribution_does_not_read_publishes_no_update_even_when_asked_before_the_relabel_ran() {
        try (Store store = AttributionFixtures.store("journeys")) {
            AttributionEvents events = new AttributionEvents();
            List<AttributionUpdate> updates = new ArrayList<>();
            events.subscribe(updates::add);
            List<Runnable> queued = new ArrayList<>();
            AttributionService attribution = new AttributionService(store, AttributionSettings.DEFAULTS, events, queued::add);
            attribution.start();
            queued.remove(0).run(); // the build on start: every model on version 1, published once
            assertThat(updates).hasSize(1);
            String builtAt = builtAt(store);

            // A spend line, a forecast override and a certification: none is an input of attribution.
            store.write("test", List.of("fact_spend"), handle -> handle.execute(
                    "INSERT INTO fact_spend VALUES ('sp1', DATE '2025-03-01', 'mkt', 'search', NULL, NULL, NULL, 'MEDIA', 100.00, 'USD')"));
            store.write("forecast:adjust", List.of("forecast_adjustment"), handle -> {});
            store.write("realization:certify", List.of("realization_certification"), handle -> {});
            assertThat(queued).as("a relabel queued per change, not yet run").hasSize(3);

            // An alert rule or a query asks for the results before the background relabels ran.
            attribution.refresh();

            assertThat(updates).as("nothing was recomputed, nothing changed").hasSize(1);
            assertThat(builtAt(store)).isEqualTo(builtAt);
            long carriedTo = store.jdbi().withHandle(handle -> handle.createQuery("SELECT data_version FROM attribution_build WHERE build_id = 'default'")
                    .mapTo(Long.class).one());
            assertThat(carriedTo).isEqualTo(4);
            queued.forEach(Runnable::run);
            assertThat(updates).hasSize(1);
        }
    }

    @Test
    void markov_transitions_on_hashed_journey_keys_equal_those_on_journey_ids() {
        try (Store store = AttributionFixtures.store("journeys", "markov_extra")) {
            AttributionFixtures.service(store).report(AttributionQuery.of(List.of(AttributionModel.LINEAR), AttributionGrouping.CHANNEL, AttributionSettings.DEFAULTS));
            List<String> fast = transitions(store, "markov_transitions");
            List<String> exact = transitions(store, "markov_transitions_exact");
            assertThat(fast).isEqualTo(exact).hasSizeGreaterThan(10);
        }
    }

    private static List<String> transitions(Store store, String sqlFile) {
        return store.jdbi().withHandle(handle -> {
            AttributionSql.setVariable(handle, "attribution_build_id", "default");
            AttributionSql.setVariable(handle, "attribution_lookback_days", 90);
            AttributionSql.execute(handle, "CREATE OR REPLACE TEMP TABLE stage_touch AS SELECT * FROM attribution_touch WHERE build_id = 'default'");
            AttributionBuilds.defineInputs(handle, AttributionBuilds.currentBounds(handle));
            AttributionBuilds.defineFullMarkovViews(handle);
            return handle.createQuery(AttributionSql.file(sqlFile))
                    .map((rs, context) -> rs.getString(1) + ">" + rs.getString(2) + ">" + rs.getString(3) + " " + rs.getLong(4) + " " + rs.getBoolean(5))
                    .list();
        });
    }

    private static String builtAt(Store store) {
        return store.jdbi().withHandle(handle -> handle.createQuery("SELECT CAST(built_at AS VARCHAR) FROM attribution_build WHERE build_id = 'default'")
                .mapTo(String.class).one());
    }

    @Test
    void results_for_other_parameters_are_built_on_demand_and_kept_apart() {
        try (Store store = AttributionFixtures.store("journeys")) {
            AttributionService attribution = AttributionFixtures.service(store);
            AttributionSettings tenDays = AttributionSettings.DEFAULTS.withLookbackDays(10);
            // 10-day lookback: d1 keeps only social (7 days) and webinar (0); LINEAR 75.00 each.
            AttributionJourney shortWindow = attribution.journey("d1", List.of(AttributionModel.LINEAR), tenDays);
            assertThat(shortWindow.touches()).extracting(touch -> touch.channel() + " " + touch.credits().get(0).revenue())
                    .containsExactly("social 75.00", "webinar 75.00");
            AttributionJourney configured = attribution.journey("d1", List.of(AttributionModel.LINEAR), AttributionSettings.DEFAULTS);
            assertThat(configured.touches()).hasSize(4);
            List<String> builds = store.jdbi().withHandle(handle -> handle.createQuery("SELECT build_id FROM attribution_build ORDER BY build_id")
                    .mapTo(String.class).list());
            assertThat(builds).containsExactly("L10-H7.000", "default");
        }
    }
}
