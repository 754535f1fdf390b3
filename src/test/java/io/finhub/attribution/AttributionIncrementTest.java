package io.finhub.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.ingest.IngestMode;
import io.finhub.ingest.IngestProgress;
import io.finhub.ingest.IngestRequest;
import io.finhub.ingest.IngestResult;
import io.finhub.ingest.IngestService;
import io.finhub.ingest.IngestStatus;
import io.finhub.store.Store;
import io.finhub.store.StoreConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An attribution build brought forward over appended touchpoints and deals equals, row for row and
 * to the cent, a build from scratch over the same facts: paths, conversions, the credits and facts
 * of all seven models, the Markov removal effects and transition counts. The facts are random
 * (seeded): journeys with and without a customer, deals with and without a journey, batches that
 * add touches to converting and open journeys, open journeys that start converting, and touches
 * that reach journey-less deals through their customer.
 */
class AttributionIncrementTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-05T09:00:00Z"), ZoneOffset.UTC);
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final List<String> CHANNELS = List.of("search", "email", "social", "webinar");
    private static final Map<String, String> CAMPAIGNS = Map.of("search", "s-brand", "email", "e-news", "webinar", "w-demo");
    private static final LocalDateTime START = LocalDateTime.of(2025, 1, 1, 0, 0);
    private static final String DIMENSIONS = """
            INSERT INTO dim_currency VALUES ('USD', 'US dollar', 2), ('EUR', 'Euro', 2);
            INSERT INTO dim_channel VALUES
                ('search', 'Paid search', 'PAID'), ('email', 'Email', 'OWNED'), ('social', 'Paid social', 'PAID'), ('webinar', 'Webinar', 'OWNED');
            INSERT INTO dim_department VALUES ('mkt', 'Marketing', 'CC100', 'MARKETING');
            INSERT INTO dim_product VALUES ('core', 'Core', 'Platform', DATE '2020-01-01');
            INSERT INTO dim_campaign VALUES
                ('s-brand', 'Search brand', 'search', 'mkt', 'core', 'ACQUISITION', DATE '2024-01-01', DATE '2026-12-31'),
                ('e-news', 'Newsletter', 'email', 'mkt', 'core', 'ACQUISITION', DATE '2024-01-01', DATE '2026-12-31'),
                ('w-demo', 'Demo webinar', 'webinar', 'mkt', 'core', 'ACQUISITION', DATE '2024-01-01', DATE '2026-12-31');
            INSERT INTO dim_customer
            SELECT 'c' || i, 'Customer ' || i, CASE WHEN i % 2 = 0 THEN 'SMB' ELSE 'ENTERPRISE' END, 'Retail', 'NA', 'USD', 'search', NULL, DATE '2025-01-01'
            FROM range(1, 13) r(i);
            INSERT INTO fact_fx_rate
            SELECT CAST(d AS DATE), 'EUR', 'USD', 1.05 + (dayofyear(d) % 7) / 100.0
            FROM range(TIMESTAMP '2024-06-01', TIMESTAMP '2027-01-01', INTERVAL 1 DAY) g(d);
            """;

    @TempDir
    Path directory;

    /** The facts as they grow: each batch is appended to the incremental store and to the list the reference store loads at once. */
    private final List<String> touchRows = new ArrayList<>();
    private final List<String> conversionRows = new ArrayList<>();
    private final Random random = new Random(20261122);
    private int touchSequence;
    private int conversionSequence;
    private int journeySequence;

    @Test
    void appended_touchpoints_and_deals_give_the_results_of_a_build_from_scratch() {
        try (Store incremental = Store.open(StoreConfig.inMemory())) {
            loadBase(incremental, 40, 6);
            AttributionService attribution = AttributionFixtures.service(incremental);
            attribution.refresh();
            assertThat(refreshed(incremental)).isEqualTo("FULL");
            IngestService ingest = new IngestService(incremental, CLOCK);

            // 1: more touches on old journeys (converting and open) and new open journeys.
            List<String> moreTouches = new ArrayList<>(touchesOnOldJourneys(25));
            moreTouches.addAll(journeys(8, 1, 4));
            append(ingest, "fact_touchpoint", moreTouches, "touches-1.csv");
            attribution.refresh();
            assertThat(refreshed(incremental)).isEqualTo("INCREMENTAL");

            // 2: deals on open journeys (they start converting), journey-less expansions reaching old touches, more deals on converting journeys.
            append(ingest, "fact_conversion", deals(touchRows, 0.3), "deals-2.csv");
            attribution.refresh();
            assertThat(refreshed(incremental)).isEqualTo("INCREMENTAL");

            // 3: touches of customers only, which reach the journey-less deals through their customer, on new journeys.
            append(ingest, "fact_touchpoint", journeys(10, 1, 3), "touches-3.csv");
            attribution.refresh();
            assertThat(refreshed(incremental)).isEqualTo("INCREMENTAL");
            assertThat(changedConversions(incremental)).isPositive();

            // 4: touches after every deal of converting journeys: paths and Markov counts stay, the credits are recomputed all the same.
            append(ingest, "fact_touchpoint", touchesAfterTheirDeals(6), "touches-4.csv");
            attribution.refresh();
            assertThat(refreshed(incremental)).isEqualTo("INCREMENTAL");

            try (Store scratch = Store.open(StoreConfig.inMemory())) {
                load(scratch, DIMENSIONS);
                load(scratch, insert("fact_touchpoint", touchRows) + insert("fact_conversion", conversionRows));
                AttributionFixtures.service(scratch).refresh();
                assertThat(refreshed(scratch)).isEqualTo("FULL");
                assertSameResults(incremental, scratch);
            }
        }
    }

    @Test
    void a_change_other_than_an_append_rebuilds_from_scratch_with_the_same_results() {
        try (Store store = Store.open(StoreConfig.inMemory())) {
            loadBase(store, 20, 5);
            AttributionService attribution = AttributionFixtures.service(store);
            attribution.refresh();
            IngestService ingest = new IngestService(store, CLOCK);

            // An upsert of touches may replace rows the build read.
            List<String> upserted = touchesOnOldJourneys(5);
            touchRows.addAll(upserted);
            IngestResult result = ingest.importFile(IngestRequest.of("fact_touchpoint", csv("upsert.csv", "fact_touchpoint", upserted), "test")
                    .withMode(IngestMode.UPSERT, List.of()), IngestProgress.NONE);
            assertThat(result.status()).isEqualTo(IngestStatus.COMMITTED);
            attribution.refresh();
            assertThat(refreshed(store)).isEqualTo("FULL");

            // A changed FX rate changes the value of deals that got no new touch.
            append(ingest, "fact_touchpoint", touchesOnOldJourneys(3), "touches.csv");
            store.write("test", List.of("fact_fx_rate"), handle -> handle.execute("UPDATE fact_fx_rate SET rate = rate + 0.01"));
            attribution.refresh();
            assertThat(refreshed(store)).isEqualTo("FULL");

            try (Store scratch = Store.open(StoreConfig.inMemory())) {
                load(scratch, DIMENSIONS);
                load(scratch, insert("fact_touchpoint", touchRows) + insert("fact_conversion", conversionRows));
                scratch.write("test", List.of("fact_fx_rate"), handle -> handle.execute("UPDATE fact_fx_rate SET rate = rate + 0.01"));
                AttributionFixtures.service(scratch).refresh();
                assertSameResults(store, scratch);
            }
        }
    }

    // Random facts -------------------------------------------------------------------------------

    /** {@code count} new journeys of {@code min}..{@code max} touches; two in three belong to a customer. */
    private List<String> journeys(int count, int min, int max) {
        List<String> rows = new ArrayList<>();
        for (int journey = 0; journey < count; journey++) {
            String journeyId = "j" + ++journeySequence;
            String customer = random.nextInt(3) == 0 ? "" : "c" + (1 + random.nextInt(12));
            LocalDateTime at = START.plusHours(random.nextInt(24 * 300));
            int touches = min + random.nextInt(max - min + 1);
            for (int touch = 0; touch < touches; touch++) {
                rows.add(touch(journeyId, customer, at));
                // One touch in four at the same instant as the one before: ties are ordered by touchpoint, the same way in every count.
                at = random.nextInt(4) == 0 ? at : at.plusHours(1 + random.nextInt(24 * 20));
            }
        }
        return rows;
    }

    /** Touches on journeys there already are, at random times around their others. */
    private List<String> touchesOnOldJourneys(int count) {
        List<String> rows = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            String[] old = touchRows.get(random.nextInt(touchRows.size())).split(",", -1);
            LocalDateTime around = random.nextInt(4) == 0 ? LocalDateTime.parse(old[6], TIMESTAMP)
                    : LocalDateTime.parse(old[6], TIMESTAMP).plusHours(random.nextInt(24 * 60) - 24 * 30);
            rows.add(touch(old[1], old[2], around));
        }
        return rows;
    }

    /** Touches on journeys that converted, a day after their last deal: on no path, and the journey stays in use. */
    private List<String> touchesAfterTheirDeals(int count) {
        Map<String, LocalDateTime> lastDeal = new LinkedHashMap<>();
        for (String row : conversionRows) {
            String[] deal = row.split(",", -1);
            if (!deal[1].isEmpty()) {
                lastDeal.merge(deal[1], LocalDateTime.parse(deal[5], TIMESTAMP), (one, two) -> one.isAfter(two) ? one : two);
            }
        }
        Map<String, String> customerOfJourney = new LinkedHashMap<>();
        touchRows.forEach(row -> customerOfJourney.putIfAbsent(row.split(",", -1)[1], row.split(",", -1)[2]));
        List<String> rows = new ArrayList<>();
        lastDeal.entrySet().stream().limit(count).forEach(deal -> rows.add(touch(deal.getKey(), customerOfJourney.getOrDefault(deal.getKey(), ""),
                deal.getValue().plusDays(1))));
        return rows;
    }

    private String touch(String journey, String customer, LocalDateTime at) {
        String channel = CHANNELS.get(random.nextInt(CHANNELS.size()));
        String lead = customer.isEmpty() ? "l" + journey : "";
        return String.join(",", "t" + ++touchSequence, journey, customer, lead, channel, CAMPAIGNS.getOrDefault(channel, ""), TIMESTAMP.format(at));
    }

    /**
     * Deals: on a share of the journeys of {@code touches} (at or after one of their touches, so some
     * touches fall outside the 90-day window), and journey-less expansions of random customers.
     */
    private List<String> deals(List<String> touches, double share) {
        Map<String, String[]> lastTouchOfJourney = new LinkedHashMap<>();
        touches.forEach(row -> lastTouchOfJourney.put(row.split(",", -1)[1], row.split(",", -1)));
        List<String> rows = new ArrayList<>();
        for (String[] touch : lastTouchOfJourney.values()) {
            if (random.nextDouble() < share) {
                String customer = touch[2].isEmpty() ? "c" + (1 + random.nextInt(12)) : touch[2];
                LocalDateTime at = LocalDateTime.parse(touch[6], TIMESTAMP).plusHours(random.nextInt(24 * 40));
                rows.add(deal(touch[1], customer, "NEW_BUSINESS", at));
            }
        }
        for (int expansion = 0; expansion < 6; expansion++) {
            rows.add(deal("", "c" + (1 + random.nextInt(12)), "EXPANSION", START.plusHours(random.nextInt(24 * 330))));
        }
        return rows;
    }

    private String deal(String journey, String customer, String type, LocalDateTime at) {
        BigDecimal amount = BigDecimal.valueOf(1_000 + random.nextInt(500_000), 2);
        String currency = random.nextInt(4) == 0 ? "EUR" : "USD";
        return String.join(",", "d" + ++conversionSequence, journey, customer, "core", type, TIMESTAMP.format(at), amount.toPlainString(), currency);
    }

    // Loading ------------------------------------------------------------------------------------

    /** The dimensions and {@code journeys} random journeys of up to {@code maxTouches} touches with their deals, as a fixture (not an import). */
    private void loadBase(Store store, int journeys, int maxTouches) {
        load(store, DIMENSIONS);
        List<String> touches = journeys(journeys, 1, maxTouches);
        List<String> deals = deals(touches, 0.6);
        touchRows.addAll(touches);
        conversionRows.addAll(deals);
        load(store, insert("fact_touchpoint", touches) + insert("fact_conversion", deals));
    }

    private static String insert(String table, List<String> rows) {
        StringBuilder sql = new StringBuilder();
        for (String row : rows) {
            String[] values = row.split(",", -1);
            List<String> literals = new ArrayList<>();
            for (int column = 0; column < values.length; column++) {
                boolean number = table.equals("fact_conversion") && column == 6;
                literals.add(values[column].isEmpty() ? "NULL" : number ? values[column] : "'" + values[column] + "'");
            }
            sql.append("INSERT INTO ").append(table).append(" VALUES (").append(String.join(", ", literals)).append(");\n");
        }
        return sql.toString();
    }

    private static void load(Store store, String sql) {
        if (!sql.isBlank()) {
            store.write("fixture:random", List.of("fixture"), handle -> AttributionSql.execute(handle, sql));
        }
    }

    private void append(IngestService ingest, String dataset, List<String> rows, String name) {
        (dataset.equals("fact_touchpoint") ? touchRows : conversionRows).addAll(rows);
        IngestResult result = ingest.importFile(IngestRequest.of(dataset, csv(name, dataset, rows), "test"), IngestProgress.NONE);
        assertThat(result.problems()).isEmpty();
        assertThat(result.status()).isEqualTo(IngestStatus.COMMITTED);
    }

    private Path csv(String name, String dataset, List<String> rows) {
        String header = dataset.equals("fact_touchpoint")
                ? "touchpoint_id,journey_id,customer_id,lead_id,channel_id,campaign_id,touched_at"
                : "conversion_id,journey_id,customer_id,product_id,deal_type,converted_at,amount,currency_code";
        try {
            return Files.writeString(directory.resolve(name), header + "\n" + String.join("\n", rows) + "\n");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // Comparing ----------------------------------------------------------------------------------

    private static String refreshed(Store store) {
        return store.jdbi().withHandle(handle -> handle.createQuery("SELECT refreshed FROM attribution_build_input WHERE build_id = 'default'")
                .mapTo(String.class).one());
    }

    private static void assertSameResults(Store actual, Store expected) {
        for (String sql : List.of(
                "SELECT model, conversion_id, touch_seq, channel_id, campaign_id, credit, attributed_amount FROM attribution_credit",
                "SELECT model, conversion_id, channel_id, campaign_id, credit, attributed_amount, converted_at, deal_type, customer_id, original_currency FROM attribution_fact",
                "SELECT conversion_id, touch_seq, touch_count, touchpoint_id, journey_id, channel_id, campaign_id, touched_at FROM attribution_touch",
                "SELECT conversion_id, journey_id, customer_id, converted_at, amount, currency_code, amount_reporting, touch_count FROM attribution_conversion",
                "SELECT channel_id, removal_effect, weight_scaled, conversion_probability FROM attribution_markov_channel",
                "SELECT from_channel, to_channel, outcome, transitions FROM attribution_markov_transition")) {
            List<String> rows = rows(actual, sql);
            assertThat(rows).as(sql).isEqualTo(rows(expected, sql)).isNotEmpty();
        }
        assertThat(rows(actual, "SELECT DISTINCT model FROM attribution_credit")).as("all seven models").hasSize(7);
    }

    private static List<String> rows(Store store, String sql) {
        return store.jdbi().withHandle(handle -> handle.createQuery(sql + " WHERE build_id = 'default' ORDER BY ALL")
                .map((rs, context) -> {
                    StringBuilder row = new StringBuilder();
                    for (int column = 1; column <= rs.getMetaData().getColumnCount(); column++) {
                        row.append(rs.getString(column)).append('|');
                    }
                    return row.toString();
                })
                .list());
    }

    private static long changedConversions(Store store) {
        return store.jdbi().withHandle(handle -> handle.createQuery("SELECT changed_conversions FROM attribution_build_input WHERE build_id = 'default'")
                .mapTo(Long.class).one());
    }
}
