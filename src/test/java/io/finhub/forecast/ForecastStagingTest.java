package io.finhub.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.finhub.TestStores;
import io.finhub.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Back-dated forecasts: the cases staged for an earlier day, partly copied from the stored cases,
 * against the same cases computed from the facts alone; and the model fitted inside DuckDB against
 * the one fitted in Java, including cases with unknown signals.
 */
class ForecastStagingTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T00:00:00Z"), ZoneOffset.UTC);
    private static Store store;
    private static ForecastModels models;

    @BeforeAll
    static void open() {
        store = TestStores.withFixture("forecast_history");
        store.jdbi().useHandle(handle -> {
            // h0001's term ended in February 2024 (decided then); a second renewal opportunity for the same contract,
            // created in September 2024 by a CRM migration, says it closed in August: as of today it is the contract's
            // latest opportunity, but as of mid-August it did not exist yet.
            handle.execute("""
                    INSERT INTO fact_renewal_pipeline VALUES ('R-D-h0001-b', 'h0001', 'D-h0001', 'RENEWAL', 'CLOSED_LOST', 0, 5000.00, 'USD',
                                                              DATE '2024-09-01', DATE '2024-08-10', DATE '2024-08-10')""");
            // h0011's term ends in December 2024, but the renewal was won early, in August: decided by mid-August,
            // yet its quarter starts in October, so as of mid-August its snapshot is that day, not the quarter's start.
            handle.execute("UPDATE fact_renewal_pipeline SET created_on = DATE '2024-07-01', closed_on = DATE '2024-08-01', stage = 'CLOSED_WON' WHERE opportunity_id = 'R-D-h0011'");
            // h0002's renewal has a second opportunity created the same day with a larger id (and another amount): the latest of the two.
            handle.execute("""
                    INSERT INTO fact_renewal_pipeline SELECT opportunity_id || '-b', customer_id, contract_id, kind, stage, probability, 13000.00,
                                                             currency_code, created_on, expected_close, closed_on
                    FROM fact_renewal_pipeline WHERE opportunity_id = 'R-D-h0002'""");
            // Signals that move, so that every signal as of a day is tested against the facts, to the day: health rising through
            // 2024 and falling after; daily scores for h0021..h0030 (the day 90 days back is a scoring day); h0012's scores stopping
            // in mid-2024 and h0013's on 2024-05-26, 400 days before 2025-06-30 (too old by one day); monthly utilisation readings
            // on the 15th for every third customer's contracts; an escalation, training or QBR every 5 days for every fourth customer.
            handle.execute("""
                    UPDATE fact_health_score SET health_score = least(100, greatest(0, health_score
                        + CASE WHEN scored_on < DATE '2025-01-01' THEN (month(scored_on) - 6) * 2 ELSE (6 - month(scored_on)) * 3 END))
                    WHERE customer_id BETWEEN 'h0005' AND 'h0020'""");
            handle.execute("DELETE FROM fact_health_score WHERE customer_id = 'h0012' AND scored_on > DATE '2024-06-01'");
            handle.execute("DELETE FROM fact_health_score WHERE customer_id = 'h0013' AND scored_on > DATE '2024-05-01'");
            handle.execute("INSERT INTO fact_health_score VALUES ('h0013', DATE '2024-05-26', 33, 'AT_RISK')");
            handle.execute("DELETE FROM fact_health_score WHERE customer_id BETWEEN 'h0021' AND 'h0030' AND scored_on >= DATE '2024-01-01'");
            handle.execute("""
                    INSERT INTO fact_health_score
                    SELECT c.customer_id, CAST(t.day AS DATE), CAST(hash(c.customer_id || t.day) % 101 AS SMALLINT), 'WATCH'
                    FROM dim_customer c, range(DATE '2024-01-01', DATE '2026-01-01', INTERVAL 1 DAY) AS t (day)
                    WHERE c.customer_id BETWEEN 'h0021' AND 'h0030'""");
            handle.execute("""
                    INSERT INTO fact_utilization
                    SELECT c.contract_id, CAST(t.m AS DATE), CAST(5 + hash(c.contract_id || t.m) % 15 AS INTEGER), 20,
                           CAST(10 + hash(t.m || c.contract_id) % 80 AS DECIMAL(5, 2))
                    FROM dim_contract c, range(DATE '2023-01-15', DATE '2026-01-15', INTERVAL 1 MONTH) AS t (m)
                    WHERE CAST(substr(c.customer_id, 2) AS INTEGER) % 3 = 0""");
            handle.execute("INSERT INTO dim_cs_program VALUES ('P-ESC', 'Escalations', 'ESCALATION', 'CS'), ('P-TRN', 'Training', 'TRAINING', 'CS'), "
                    + "('P-QBR', 'Business reviews', 'QBR', 'CS')");
            handle.execute("""
                    INSERT INTO fact_cs_activity
                    SELECT 'A-' || customer_id || '-' || k, customer_id, ['P-ESC', 'P-TRN', 'P-QBR'][1 + k % 3],
                           CAST(DATE '2023-02-01' + INTERVAL (k * 5 + CAST(substr(customer_id, 2) AS INTEGER)) DAY AS DATE), 1, 100, 'USD'
                    FROM dim_customer, range(0, 220) AS t (k)
                    WHERE CAST(substr(customer_id, 2) AS INTEGER) % 4 = 1""");
            // Some customers have no health score at all: an unknown signal.
            handle.execute("DELETE FROM fact_health_score WHERE customer_id IN ('h0003', 'h0010', 'h0017', 'h0024')");
        });
        models = new ForecastModels(store, CLOCK);
        models.refresh();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void back_dated_cases_copied_from_the_stored_ones_equal_the_cases_computed_from_the_facts() {
        for (LocalDate day : List.of(LocalDate.of(2024, 8, 15), LocalDate.of(2024, 3, 31), LocalDate.of(2025, 6, 30), LocalDate.of(2024, 1, 1))) {
            store.jdbi().useHandle(handle -> {
                ForecastModels.Staged staged = models.stage(handle, day);

                if (!day.equals(LocalDate.of(2024, 1, 1))) {
                    assertThat(count(handle, "SELECT count(*) FROM forecast_renewal_case_usd t WHERE " + DecidedHistory.COPIED.replace(":day", "DATE '" + day + "'")))
                            .as("decided cases taken from the stored ones as of %s", day).isPositive();
                }
                assertSameCases(handle, day, staged.table());
                // The staged open cases carry every kind of signal, as of the day (the comparison above is worth as much as they vary).
                assertThat(count(handle, "SELECT count(DISTINCT health_trend) + count(DISTINCT seat_utilization) + count(DISTINCT escalations) "
                        + "+ count(DISTINCT success_programme) FROM " + staged.table() + " WHERE NOT decided")).as("signals as of %s", day).isGreaterThan(8);
            });
        }
    }

    @Test
    void the_early_decided_and_the_re_opened_renewals_are_computed_not_copied() {
        store.jdbi().useHandle(handle -> {
            String table = models.stage(handle, LocalDate.of(2024, 8, 15)).table();

            List<String> snapshots = handle.createQuery("""
                            SELECT contract_id || ' ' || snapshot || ' ' || renewed || ' ' || amount FROM %s
                            WHERE contract_id IN ('D-h0001', 'D-h0011') ORDER BY contract_id""".formatted(table))
                    .mapTo(String.class)
                    .list();
            // h0001: the opportunity of February (12,000; h0001 has health 57, so it renewed), not September's lost one.
            // h0011: snapshot on the as-of day (the stored case has 2024-10-01).
            assertThat(snapshots).containsExactly("D-h0001 2024-01-01 true 12000.00", "D-h0011 2024-08-15 true 12000.00");
        });
    }

    @Test
    void a_back_dated_model_learnt_from_the_history_in_memory_is_the_model_fitted_on_all_the_days_decided_cases() {
        // Days with enough decided renewals for a model (by 2024-03-31 only the first quarter's had been decided).
        for (LocalDate day : List.of(LocalDate.of(2024, 8, 15), LocalDate.of(2024, 6, 30), LocalDate.of(2025, 6, 30), LocalDate.of(2024, 11, 2))) {
            store.jdbi().useHandle(handle -> {
                String table = models.stage(handle, day).table();
                long version = Long.parseLong(table.replaceAll(".*_v(\\d+)_.*", "$1"));
                DecidedHistory history = DecidedHistory.read(handle, ForecastModels.casesTable("USD"), version);

                // The day's cases that were staged, not copied from the stored ones.
                handle.createUpdate("CREATE OR REPLACE TEMP TABLE staged_only AS SELECT * FROM " + table + " t WHERE NOT (" + DecidedHistory.COPIED + ")")
                        .bind("day", day).execute();
                if (day.equals(LocalDate.of(2024, 8, 15))) {
                    // h0001 (re-opened) and h0011 (won early) are decided and staged: merged in among the copied ones.
                    assertThat(count(handle, "SELECT count(*) FROM staged_only WHERE decided")).isEqualTo(2);
                }
                ForecastModels.DayModel fromHistory = history.fit(handle, "staged_only", day);
                // Every case of the day: the staged ones and every stored one taken for the day (the table has those ending on or after it).
                handle.createUpdate("CREATE OR REPLACE TEMP TABLE all_cases AS SELECT * EXCLUDE (stored_model_probability) FROM staged_only "
                        + "UNION ALL SELECT * EXCLUDE (stored_model_probability) FROM forecast_renewal_case_usd t WHERE " + DecidedHistory.COPIED).bind("day", day).execute();
                Optional<RenewalModel> fromTable = RenewalModel.fit(handle, "all_cases", day);

                // Every decided case of the day, in the same order: the same model to the last bit.
                long[] decided = handle.createQuery("SELECT count(*), count(*) FILTER (WHERE renewed) FROM all_cases WHERE decided")
                        .map((row, context) -> new long[] {row.getLong(1), row.getLong(2)}).one();
                assertThat(fromHistory.cases()).as("decided cases as of %s", day).isEqualTo(decided[0]);
                assertThat(fromHistory.renewed()).isEqualTo(decided[1]);
                assertThat(fromTable).as("a model as of %s", day).isPresent();
                RenewalModel model = fromHistory.model().orElseThrow();
                assertThat(model.means()).containsExactly(fromTable.orElseThrow().means());
                assertThat(model.deviations()).containsExactly(fromTable.orElseThrow().deviations());
                assertThat(model.coefficients()).containsExactly(fromTable.orElseThrow().coefficients());
            });
        }
    }

    @Test
    void contract_ids_are_ordered_as_duckdb_orders_text() {
        // UTF-16 puts U+FFFD after a supplementary character's surrogates; UTF-8 bytes (and code points) put it before.
        String replacement = "C-\uFFFD";
        String emoji = "C-" + new String(Character.toChars(0x1F600));
        assertThat(replacement.compareTo(emoji)).isPositive();
        assertThat(DecidedHistory.compareCodePoints(replacement, emoji)).isNegative();
        String duckdb = store.jdbi().withHandle(handle -> handle.createQuery("SELECT string_agg(id, '|' ORDER BY id) FROM (VALUES (:a), (:b), ('C-1'), ('C-')) AS t (id)")
                .bind("a", emoji).bind("b", replacement).mapTo(String.class).one());
        List<String> java = new java.util.ArrayList<>(List.of(emoji, replacement, "C-1", "C-"));
        java.sort(DecidedHistory::compareCodePoints);
        assertThat(String.join("|", java)).isEqualTo(duckdb);
    }

    @Test
    void of_two_opportunities_created_the_same_day_the_larger_id_is_the_latest() {
        store.jdbi().useHandle(handle -> {
            // Open on 2024-02-15 (created 2023-12-22, closed 2024-03-26), so computed from the stored spans, not copied.
            LocalDate day = LocalDate.of(2024, 2, 15);
            ForecastModels.Staged staged = models.stage(handle, day);
            assertThat(handle.createQuery("SELECT opportunity_id || ' ' || decided || ' ' || amount FROM " + staged.table() + " WHERE contract_id = 'D-h0002'")
                    .mapTo(String.class).one()).isEqualTo("R-D-h0002-b false 13000.00");
            assertSameCases(handle, day, staged.table());
            // Decided by 2024-03-31 and its quarter started: copied from the stored case, which has the same opportunity.
            assertThat(handle.createQuery("SELECT opportunity_id || ' ' || decided || ' ' || amount FROM " + models.stage(handle, LocalDate.of(2024, 3, 31)).table()
                    + " WHERE contract_id = 'D-h0002'").mapTo(String.class).one()).isEqualTo("R-D-h0002-b true 13000.00");
        });
    }

    @Test
    void stored_cases_of_older_facts_are_not_reused() {
        store.jdbi().useHandle(handle -> {
            handle.execute("INSERT INTO finhub_data_version VALUES (999, TIMESTAMP '2026-01-15 00:00:00', 'test', ['fact_health_score'])");
            try {
                ForecastModels.Staged staged = models.stage(handle, LocalDate.of(2024, 8, 15));
                assertThat(staged.reused()).isZero();
                assertThat(staged.table()).contains("_v999_");
                assertSameCases(handle, LocalDate.of(2024, 8, 15), staged.table(), false);
            }
            finally {
                handle.execute("DELETE FROM finhub_data_version WHERE version = 999");
            }
        });
    }

    @Test
    void the_model_fitted_in_the_store_is_the_model_fitted_in_java() {
        store.jdbi().useHandle(handle -> {
            LocalDate day = LocalDate.of(2025, 12, 31);
            List<RenewalCase> decided = RenewalCases.read(handle, ForecastModels.casesTable("USD"), "decided");
            assertThat(decided).hasSize(240).anyMatch(renewal -> Double.isNaN(renewal.healthScore()));

            RenewalModel java = RenewalModel.fit(decided, day).orElseThrow();
            RenewalModel inStore = RenewalModel.fit(handle, ForecastModels.casesTable("USD"), day).orElseThrow();

            // The same factor values in the same order: the same model to the last bit.
            assertThat(inStore.cases()).isEqualTo(java.cases());
            assertThat(inStore.renewed()).isEqualTo(java.renewed());
            assertThat(inStore.means()).containsExactly(java.means());
            assertThat(inStore.deviations()).containsExactly(java.deviations());
            assertThat(inStore.coefficients()).containsExactly(java.coefficients());
        });
    }

    @Test
    void probabilities_scored_in_sql_equal_the_java_ones_when_signals_are_unknown() {
        store.jdbi().useHandle(handle -> {
            List<RenewalCase> cases = RenewalCases.read(handle, ForecastModels.casesTable("USD"), "true");
            RenewalModel model = RenewalModel.fit(cases.stream().filter(RenewalCase::decided).toList(), LocalDate.of(2025, 12, 31)).orElseThrow();
            assertThat(cases).anyMatch(renewal -> Double.isNaN(renewal.healthScore()));

            for (int shift : new int[] {0, -10, 15}) {
                List<Double> sql = handle.createQuery("SELECT " + model.probabilitySql(shift) + " FROM " + ForecastModels.casesTable("USD")
                                + " ORDER BY end_date, contract_id")
                        .mapTo(Double.class)
                        .list();
                for (int i = 0; i < cases.size(); i++) {
                    assertThat(sql.get(i)).as("%s, health shift %d", cases.get(i).contractId(), shift)
                            .isCloseTo(model.probability(cases.get(i), shift), within(1e-12));
                }
            }
        });
    }

    @Test
    void a_customer_without_lines_in_the_horizon_gets_a_zero_total() {
        // h0003's open term ends in April 2026, after a one-quarter horizon from 2025-12-31; its 2024 term ended long before.
        ForecastService forecasts = new ForecastService(store, CLOCK, new ForecastEvents());

        ForecastFigures total = forecasts.forecast("h0003", new ForecastRequest(Optional.empty(), 1, Optional.of(List.of()))).total();

        assertThat(total.renewals()).isZero();
        assertThat(total.expansions()).isZero();
        assertThat(total.arrUpForRenewal()).isEqualByComparingTo("0");
        assertThat(total.modelTotal()).isEqualByComparingTo("0");
        assertThat(total.modelTotalRange().p90()).isEqualByComparingTo("0");
    }

    @Test
    void a_back_dated_portfolio_prices_every_renewal_ending_in_its_horizon_and_adds_up_its_lines() {
        ForecastService forecasts = new ForecastService(store, CLOCK, new ForecastEvents());
        LocalDate day = LocalDate.of(2024, 8, 15);
        ForecastRequest request = new ForecastRequest(Optional.of(day), 4, Optional.of(List.of()));

        PortfolioForecast portfolio = forecasts.portfolio(request);
        List<RenewalLine> lines = forecasts.renewals(request);

        // Independently: the contracts whose term ends between the as-of day and the horizon's end.
        long ending = store.jdbi().withHandle(handle -> handle.createQuery("SELECT count(*) FROM dim_contract WHERE end_date BETWEEN :day AND :end")
                .bind("day", day).bind("end", portfolio.horizonEnd()).mapTo(Long.class).one());
        assertThat(portfolio.asOf()).isEqualTo(day);
        assertThat(portfolio.total().renewals()).isEqualTo(ending).isEqualTo(lines.size());
        assertThat(portfolio.total().modelRenewalArr())
                .isEqualByComparingTo(lines.stream().map(RenewalLine::modelExpected).reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add));
        // h0011 renewed early (decided on 2024-08-01): its line carries the outcome, not a model probability.
        RenewalLine early = lines.stream().filter(line -> line.contractId().equals("D-h0011")).findFirst().orElseThrow();
        assertThat(early.probabilitySource()).isEqualTo(ProbabilitySource.OUTCOME);
        assertThat(early.modelProbability()).isEqualByComparingTo("1");
    }

    @Test
    void after_a_change_of_the_facts_nothing_remembered_from_before_is_used() {
        try (Store changing = TestStores.withFixture("forecast_history")) {
            ForecastService forecasts = new ForecastService(changing, CLOCK, new ForecastEvents());
            ForecastRequest today = ForecastRequest.defaults();
            ForecastRequest backDated = new ForecastRequest(Optional.of(LocalDate.of(2025, 6, 30)), 4, Optional.of(List.of()));
            java.math.BigDecimal before = forecasts.portfolio(today).total().modelTotal();
            forecasts.portfolio(backDated);

            // Every other customer's health is turned upside down (h → 100 − h), history included: the stored cases and the
            // models of both days must all be rebuilt.
            changing.write("test", List.of("fact_health_score"),
                    handle -> handle.execute("UPDATE fact_health_score SET health_score = 100 - health_score WHERE right(customer_id, 1) IN ('1', '3', '5', '7', '9')"));

            PortfolioForecast after = forecasts.portfolio(today);
            PortfolioForecast afterBackDated = forecasts.portfolio(backDated);
            // A service that never saw the old facts is the independent answer.
            ForecastService fresh = new ForecastService(changing, CLOCK, new ForecastEvents());
            assertThat(after.total().modelTotal()).isNotEqualByComparingTo(before).isEqualByComparingTo(fresh.portfolio(today).total().modelTotal());
            assertThat(afterBackDated.total().modelTotal()).isEqualByComparingTo(fresh.portfolio(backDated).total().modelTotal());
            assertThat(after.model().intercept()).isEqualTo(fresh.portfolio(today).model().intercept());
            assertThat(after.scenarios()).extracting(ScenarioResult::modelTotal)
                    .usingElementComparator(java.math.BigDecimal::compareTo)
                    .containsExactlyElementsOf(fresh.portfolio(today).scenarios().stream().map(ScenarioResult::modelTotal).toList());
        }
    }

    @Test
    void each_reporting_currency_has_its_own_stored_cases() {
        // Amounts are converted to the reporting currency: a database served in EUR, then USD, then EUR must not read USD cases.
        assertThat(ForecastModels.casesTable("EUR")).isEqualTo("forecast_renewal_case_eur").isNotEqualTo(ForecastModels.casesTable("USD"));
        long stored = store.jdbi().withHandle(handle -> handle.createQuery("SELECT count(*) FROM forecast_renewal_case_usd").mapTo(Long.class).one());
        assertThat(stored).isPositive();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ForecastModels.casesTable("US D; DROP TABLE x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * The staged cases, row for row and column for column, against the renewal cases SQL run as of
     * {@code day}; for a day before the stored cases' day, with the stored cases the model learns from in
     * memory instead (decided by the day, ending before it, and copied by the condition).
     */
    private static void assertSameCases(Handle handle, LocalDate day, String table) {
        assertSameCases(handle, day, table, day.isBefore(LocalDate.of(2025, 12, 31)));
    }

    private static void assertSameCases(Handle handle, LocalDate day, String table, boolean copied) {
        String inMemory = copied ? " UNION ALL SELECT * EXCLUDE (stored_model_probability) FROM forecast_renewal_case_usd t WHERE "
                + DecidedHistory.COPIED.replace(":day", "DATE '" + day + "'") + " AND t.end_date < DATE '" + day + "'" : "";
        handle.createUpdate("CREATE OR REPLACE TEMP TABLE expected_case AS " + ForecastSql.RENEWAL_CASES)
                .bind("include_decided", true)
                .bind("as_of", day)
                .bind("horizon_end", models.horizonEnd(day, ForecastService.MAX_HORIZON_QUARTERS))
                .bind("reporting_currency", "USD")
                .execute();
        long expected = count(handle, "SELECT count(*) FROM expected_case");
        assertThat(expected).isPositive();
        String staged = "SELECT * EXCLUDE (stored_model_probability) FROM " + table + inMemory;
        assertThat(count(handle, "SELECT count(*) FROM (" + staged + ")")).as("cases as of %s", day).isEqualTo(expected);
        assertThat(count(handle, "SELECT count(*) FROM (SELECT * FROM expected_case EXCEPT ALL (" + staged + "))"))
                .as("cases as of %s missing or different", day).isZero();
        if (copied) {
            // Only the decided cases ending on or after the day are copied; the ones before it are in memory.
            assertThat(count(handle, "SELECT count(*) FROM " + table + " t WHERE " + DecidedHistory.COPIED.replace(":day", "DATE '" + day + "'")
                    + " AND t.end_date < DATE '" + day + "'")).isZero();
        }
        handle.execute("DROP TABLE expected_case");
    }

    private static long count(Handle handle, String sql) {
        return handle.createQuery(sql).mapTo(Long.class).one();
    }
}
