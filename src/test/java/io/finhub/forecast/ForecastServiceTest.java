package io.finhub.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.finhub.TestStores;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.realization.Evidence;
import io.finhub.store.Store;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The forecast of the {@code forecast_company} fixture, every figure worked out by hand from its
 * header: A-1 10 000.00 × 0.60 = 6 000.00; B-1 22 000.00 × 0.50 = 11 000.00; C-1 6 000.00 × 0.50 =
 * 3 000.00; X1 3 000.00 × 0.35 × 0.60 = 630.00; X2 1 100.00 × 0.55 = 605.00.
 */
class ForecastServiceTest {
    private static final List<Evidence> CALL = List.of(new Evidence("CALL_NOTES", "crm://activity/991", "champion confirmed budget"));
    private Store store;
    private ForecastService forecasts;
    private final List<ForecastAdjustmentEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        store = TestStores.withFixture("forecast_company");
        ForecastEvents publisher = new ForecastEvents();
        publisher.subscribe(event -> {
            if (event instanceof ForecastAdjustmentEvent adjustment) {
                events.add(adjustment);
            }
        });
        forecasts = new ForecastService(store, Clock.fixed(Instant.parse("2026-01-15T08:00:00Z"), ZoneOffset.UTC), publisher);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void without_enough_history_renewals_are_forecast_at_their_crm_probability() {
        PortfolioForecast portfolio = forecasts.portfolio(ForecastRequest.defaults());

        assertThat(portfolio.asOf()).isEqualTo(LocalDate.of(2025, 12, 31));
        assertThat(portfolio.horizonEnd()).isEqualTo(LocalDate.of(2026, 12, 31));
        assertThat(portfolio.model()).isNull();
        ForecastFigures total = portfolio.total();
        assertThat(total.renewals()).isEqualTo(3);
        assertThat(total.arrUpForRenewal()).isEqualByComparingTo(sum("10000.00", "22000.00", "6000.00"));
        assertThat(total.modelRenewalArr()).isEqualByComparingTo(sum("6000.00", "11000.00", "3000.00"));
        assertThat(total.expansionPipeline()).isEqualByComparingTo(sum("3000.00", "1100.00"));
        assertThat(total.modelExpansionArr()).isEqualByComparingTo(sum("630.00", "605.00"));
        assertThat(total.modelTotal()).isEqualByComparingTo("21235.00");
        assertThat(total.adjustedTotal()).isEqualByComparingTo(total.modelTotal());
        assertThat(portfolio.byQuarter()).extracting(group -> group.quarterLabel() + " " + group.figures().modelTotal().toPlainString())
                .containsExactly("FY2026-Q1 6630.00", "FY2026-Q2 11000.00", "FY2026-Q3 605.00", "FY2026-Q4 3000.00");
        assertThat(portfolio.bySegment()).extracting(group -> group.segment() + " " + group.figures().modelTotal().toPlainString())
                .containsExactly("ENTERPRISE 11605.00", "SMB 9630.00");
    }

    @Test
    void small_groups_get_their_exact_percentiles() {
        PortfolioForecast portfolio = forecasts.portfolio(ForecastRequest.defaults());
        Map<String, ForecastFigures> quarters = portfolio.byQuarter().stream().collect(Collectors.toMap(ForecastGroup::quarterLabel, ForecastGroup::figures));

        // Q1: A-1 renews (0.6) worth 10 000; X1 (0.21) worth 3 000. P(0) = 0.4 x 0.79 = 0.316, P(3 000) = 0.084,
        // P(10 000) = 0.474, P(13 000) = 0.126: cumulative 0.316, 0.400, 0.874, 1. P10 = 0, P50 = 10 000, P90 = 13 000.
        assertThat(quarters.get("FY2026-Q1").modelTotalRange()).satisfies(range -> {
            assertThat(range.method()).isEqualTo(IntervalMethod.EXACT);
            assertThat(range.p10()).isEqualByComparingTo("0");
            assertThat(range.p50()).isEqualByComparingTo("10000.00");
            assertThat(range.p90()).isEqualByComparingTo("13000.00");
        });
        // Q2: B-1 alone at 0.5: P(0) = 0.5 reaches the 50 % level, so P50 is 0.
        assertThat(quarters.get("FY2026-Q2").modelRenewalRange()).satisfies(range -> {
            assertThat(range.p50()).isEqualByComparingTo("0");
            assertThat(range.p90()).isEqualByComparingTo("22000.00");
        });
        // Q3 has no renewal: certain nothing; with X2 (0.55) the total P50 is 1 100.
        assertThat(quarters.get("FY2026-Q3").modelRenewalRange().method()).isEqualTo(IntervalMethod.CERTAIN);
        assertThat(quarters.get("FY2026-Q3").modelTotalRange().p50()).isEqualByComparingTo("1100.00");
        // The whole horizon: five independent outcomes, enumerated here by brute force.
        ForecastRange total = portfolio.total().modelTotalRange();
        double[][] outcomes = {{0.6, 10000}, {0.5, 22000}, {0.5, 6000}, {0.21, 3000}, {0.55, 1100}};
        assertThat(total.method()).isEqualTo(IntervalMethod.EXACT);
        assertThat(total.p10()).isEqualByComparingTo(BigDecimal.valueOf(percentile(outcomes, 0.10)));
        assertThat(total.p50()).isEqualByComparingTo(BigDecimal.valueOf(percentile(outcomes, 0.50)));
        assertThat(total.p90()).isEqualByComparingTo(BigDecimal.valueOf(percentile(outcomes, 0.90)));
    }

    /** The smallest sum whose cumulative probability reaches {@code level}, over every combination of outcomes. */
    private static long percentile(double[][] outcomes, double level) {
        List<double[]> combinations = new ArrayList<>();
        for (int mask = 0; mask < 1 << outcomes.length; mask++) {
            double probability = 1;
            long sum = 0;
            for (int i = 0; i < outcomes.length; i++) {
                boolean happens = (mask & 1 << i) != 0;
                probability *= happens ? outcomes[i][0] : 1 - outcomes[i][0];
                sum += happens ? (long) outcomes[i][1] : 0;
            }
            combinations.add(new double[] {sum, probability});
        }
        combinations.sort((left, right) -> Double.compare(left[0], right[0]));
        double cumulative = 0;
        for (double[] combination : combinations) {
            cumulative += combination[1];
            if (cumulative >= level - 1e-9) {
                return (long) combination[0];
            }
        }
        throw new AssertionError("probabilities do not add up to 1");
    }

    @Test
    void a_customer_forecast_shows_where_each_probability_comes_from() {
        CustomerForecast alpha = forecasts.forecast("a1", ForecastRequest.defaults());

        assertThat(alpha.customerName()).isEqualTo("Alpha");
        assertThat(alpha.renewals()).extracting(line -> line.contractId() + " " + line.probabilitySource() + " " + line.modelProbability().toPlainString()
                        + " " + line.modelExpected().toPlainString())
                .containsExactly("A-1 CRM_STAGE 0.6000 6000.00", "C-1 HISTORICAL_RATE 0.5000 3000.00");
        assertThat(alpha.expansions()).singleElement().satisfies(expansion -> {
            assertThat(expansion.alignedToRenewal()).isTrue();
            assertThat(expansion.quarterLabel()).isEqualTo("FY2026-Q1");
            assertThat(expansion.modelProbability()).isEqualByComparingTo("0.21");
            assertThat(expansion.modelExpected()).isEqualByComparingTo("630.00");
        });
        assertThat(alpha.total().modelTotal()).isEqualByComparingTo("9630.00");
        assertThatThrownBy(() -> forecasts.forecast("nobody", ForecastRequest.defaults()))
                .isInstanceOfSatisfying(FinhubException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void an_adjustment_stands_beside_the_model_and_is_announced() {
        ForecastAdjustment adjustment = forecasts.adjust(new AdjustmentRequest(Optional.of("A-1"), Optional.empty(), Optional.of(new BigDecimal("0.9")),
                Optional.empty(), false, "verbal commit from the buyer", "csm@example.com", CALL));

        assertThat(adjustment.targetKind()).isEqualTo(AdjustmentTarget.RENEWAL);
        assertThat(adjustment.modelProbability()).isEqualByComparingTo("0.6");
        assertThat(adjustment.modelAmount()).isEqualByComparingTo("10000.00");
        assertThat(adjustment.modelExpected()).isEqualByComparingTo("6000.00");
        assertThat(adjustment.adjustedExpected()).isEqualByComparingTo("9000.00");
        assertThat(adjustment.modelAsOf()).isEqualTo(LocalDate.of(2025, 12, 31));
        assertThat(adjustment.evidence()).containsExactlyElementsOf(CALL);
        assertThat(events).singleElement().satisfies(event -> assertThat(event.adjustment()).isEqualTo(adjustment));

        ForecastFigures total = forecasts.portfolio(ForecastRequest.defaults()).total();
        // Model unchanged; adjusted: A-1 at 0.9 = 9 000.00, and X1 rides on it: 3 000.00 x round(0.35 x 0.9, 4) = 945.00.
        assertThat(total.modelTotal()).isEqualByComparingTo("21235.00");
        assertThat(total.adjustedRenewalArr()).isEqualByComparingTo(sum("9000.00", "11000.00", "3000.00"));
        assertThat(total.adjustedExpansionArr()).isEqualByComparingTo(sum("945.00", "605.00"));
        assertThat(total.adjustedLines()).isEqualTo(1);
    }

    @Test
    void a_renewal_opportunity_stands_for_its_contract_and_an_amount_can_be_overridden() {
        forecasts.adjust(new AdjustmentRequest(Optional.empty(), Optional.of("OPP-B1"), Optional.empty(), Optional.of(new BigDecimal("25000.00")), false,
                "price increase agreed", "csm", CALL));

        RenewalLine beta = forecasts.forecast("b2", ForecastRequest.defaults()).renewals().get(0);
        assertThat(beta.contractId()).isEqualTo("B-1");
        assertThat(beta.modelExpected()).isEqualByComparingTo("11000.00");
        assertThat(beta.adjustedAmount()).isEqualByComparingTo("25000.00");
        assertThat(beta.adjustedProbability()).isEqualByComparingTo("0.5");
        assertThat(beta.adjustedExpected()).isEqualByComparingTo("12500.00");
    }

    @Test
    void clearing_an_adjustment_brings_the_model_back_and_keeps_the_trail() {
        forecasts.adjust(new AdjustmentRequest(Optional.of("A-1"), Optional.empty(), Optional.of(new BigDecimal("0.9")), Optional.empty(), false,
                "verbal commit", "csm", CALL));
        ForecastAdjustment cleared = forecasts.adjust(new AdjustmentRequest(Optional.of("A-1"), Optional.empty(), Optional.empty(), Optional.empty(), true,
                "buyer left the company", "csm", CALL));

        assertThat(cleared.cleared()).isTrue();
        assertThat(cleared.supersedesId()).isNotNull();
        assertThat(forecasts.portfolio(ForecastRequest.defaults()).total().adjustedTotal()).isEqualByComparingTo("21235.00");
        assertThat(forecasts.adjustments("a1")).hasSize(2).first().isEqualTo(cleared);
        // A customer without adjustments has none; one that does not exist is not found, as its forecast is.
        assertThat(forecasts.adjustments("b2")).isEmpty();
        assertThatThrownBy(() -> forecasts.adjustments("nobody"))
                .isInstanceOfSatisfying(FinhubException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void adjustments_are_validated() {
        assertThatThrownBy(() -> forecasts.adjust(new AdjustmentRequest(Optional.of("A-1"), Optional.of("OPP-X1"), Optional.of(BigDecimal.ONE),
                Optional.empty(), false, "r", "csm", CALL))).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> forecasts.adjust(new AdjustmentRequest(Optional.of("A-1"), Optional.empty(), Optional.of(new BigDecimal("1.5")),
                Optional.empty(), false, "r", "csm", CALL))).hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> forecasts.adjust(new AdjustmentRequest(Optional.of("A-1"), Optional.empty(), Optional.of(BigDecimal.ONE),
                Optional.empty(), false, " ", "csm", CALL))).hasMessageContaining("reason");
        assertThatThrownBy(() -> forecasts.adjust(new AdjustmentRequest(Optional.of("A-1"), Optional.empty(), Optional.of(BigDecimal.ONE),
                Optional.empty(), false, "r", "csm", List.of()))).hasMessageContaining("evidence");
        assertThatThrownBy(() -> forecasts.adjust(new AdjustmentRequest(Optional.of("A-1"), Optional.empty(), Optional.empty(), Optional.empty(), true,
                "r", "csm", CALL))).hasMessageContaining("no adjustment to clear");
        assertThatThrownBy(() -> forecasts.adjust(new AdjustmentRequest(Optional.of("nope"), Optional.empty(), Optional.of(BigDecimal.ONE),
                Optional.empty(), false, "r", "csm", CALL)))
                .isInstanceOfSatisfying(FinhubException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(events).isEmpty();
    }

    @Test
    void a_churn_shock_cuts_the_renewals_of_one_segment() {
        List<ScenarioResult> scenarios = forecasts.portfolio(ForecastRequest.defaults()).scenarios();

        assertThat(scenarios).extracting(result -> result.scenario().name())
                .containsExactly("Health +10", "Health -10", "Churn shock 20% ENTERPRISE", "Churn shock 20% SMB");
        // Without a model, health moves nothing.
        assertThat(scenarios.get(0).modelTotalChange()).isEqualByComparingTo("0");
        // SMB: A-1 0.6 x 0.8 = 0.48 -> 4 800.00; C-1 0.5 x 0.8 = 0.40 -> 2 400.00; X1 0.35 x 0.48 = 0.168 -> 504.00.
        ScenarioResult smb = scenarios.get(3);
        assertThat(smb.modelTotal()).isEqualByComparingTo(sum("4800.00", "11000.00", "2400.00", "504.00", "605.00"));
        assertThat(smb.modelTotalChange()).isEqualByComparingTo(smb.modelTotal().subtract(new BigDecimal("21235.00")));
        // ENTERPRISE: B-1 0.4 -> 8 800.00; X2 is not tied to B-1's renewal.
        assertThat(scenarios.get(2).modelTotal()).isEqualByComparingTo(sum("6000.00", "8800.00", "3000.00", "630.00", "605.00"));
    }

    @Test
    void a_back_dated_forecast_leaves_out_contracts_signed_after_its_day() {
        // On 2025-11-15 A-1 (from 2025-03-01) and B-1 (from 2025-06-01) were running; C-1 starts on 2025-12-01,
        // so nobody could have forecast its renewal then, though it ends within the horizon (2026-12-31).
        store.jdbi().useHandle(handle -> handle.execute("INSERT INTO fact_fx_rate VALUES (DATE '2025-11-15', 'EUR', 'USD', 1.09)"));
        ForecastRequest november15 = new ForecastRequest(Optional.of(LocalDate.of(2025, 11, 15)), 4, Optional.of(List.of()));
        assertThat(forecasts.renewals(november15)).extracting(RenewalLine::contractId).containsExactly("A-1", "B-1");
        // OPP-A1 (created 2025-11-01) at 10 000.00. B-1: OPP-B1 is created only on 2025-12-15, so its value is the
        // contract's committed 18 000 EUR × 1.09 (that day's rate) = 19 620.00.
        assertThat(forecasts.portfolio(november15).total().arrUpForRenewal()).isEqualByComparingTo(sum("10000.00", "19620.00"));
    }

    @Test
    void a_back_dated_forecast_leaves_out_adjustments_recorded_after_its_day() {
        // Recorded at the clock's 2026-01-15T08:00Z: a renewal and an expansion (X1, open since 2025-12-01).
        forecasts.adjust(new AdjustmentRequest(Optional.of("A-1"), Optional.empty(), Optional.of(new BigDecimal("0.9")), Optional.empty(), false,
                "verbal commit from the buyer", "csm", CALL));
        forecasts.adjust(new AdjustmentRequest(Optional.empty(), Optional.of("OPP-X1"), Optional.of(new BigDecimal("0.5")), Optional.empty(), false,
                "scope agreed", "csm", CALL));
        store.jdbi().useHandle(handle -> handle.execute("INSERT INTO fact_fx_rate VALUES (DATE '2025-12-15', 'EUR', 'USD', 1.09)"));

        // On 2025-12-15 neither adjustment existed: A-1 and X1 are forecast as the model has them.
        ForecastFigures december15 = forecasts.portfolio(new ForecastRequest(Optional.of(LocalDate.of(2025, 12, 15)), 4, Optional.of(List.of()))).total();
        assertThat(december15.expansions()).isEqualTo(1);
        assertThat(december15.adjustedLines()).isZero();
        assertThat(december15.adjustedTotal()).isEqualByComparingTo(december15.modelTotal());
        // The day the data runs to, by default or named, shows both.
        assertThat(forecasts.portfolio(ForecastRequest.defaults()).total().adjustedLines()).isEqualTo(2);
        assertThat(forecasts.portfolio(new ForecastRequest(Optional.of(LocalDate.of(2025, 12, 31)), 4, Optional.of(List.of()))).total().adjustedLines())
                .isEqualTo(2);
    }

    @Test
    void a_back_dated_forecast_reads_each_adjustment_chain_as_it_stood_at_the_end_of_its_day() {
        store.jdbi().useHandle(handle -> {
            handle.execute("INSERT INTO fact_fx_rate VALUES (DATE '2025-11-15', 'EUR', 'USD', 1.09)");
            // 0.8 recorded late on 2025-11-15 (it counts that day); superseded and cleared on 2026-01-15 below.
            insertAdjustment(handle, "ADJ-A1", "A-1", "a1", "0.8000", false, null, "2025-11-15 23:59:00");
            // B-1: 0.7 on 2025-11-01, cleared on 2025-11-10, then 0.3 at the first instant of 2025-11-16 (after the day).
            insertAdjustment(handle, "ADJ-B1", "B-1", "b2", "0.7000", false, null, "2025-11-01 09:00:00");
            insertAdjustment(handle, "ADJ-B2", "B-1", "b2", null, true, "ADJ-B1", "2025-11-10 09:00:00");
            insertAdjustment(handle, "ADJ-B3", "B-1", "b2", "0.3000", false, "ADJ-B2", "2025-11-16 00:00:00");
        });
        forecasts.adjust(new AdjustmentRequest(Optional.of("A-1"), Optional.empty(), Optional.of(new BigDecimal("0.9")), Optional.empty(), false,
                "verbal commit", "csm", CALL));
        forecasts.adjust(new AdjustmentRequest(Optional.of("A-1"), Optional.empty(), Optional.empty(), Optional.empty(), true,
                "buyer left the company", "csm", CALL));

        // As of 2025-11-15 (A-1 and B-1 running, no expansion open): A-1 10 000.00 at OPP-A1's 0.60 = 6 000.00, adjusted 0.8 = 8 000.00;
        // B-1 18 000 EUR x 1.09 = 19 620.00 at the observed rate (A-0 renewed, Z-0 lost: 1 of 2) = 9 810.00, its chain cleared by then.
        ForecastRequest november15 = new ForecastRequest(Optional.of(LocalDate.of(2025, 11, 15)), 4, Optional.of(List.of()));
        ForecastFigures total = forecasts.portfolio(november15).total();
        assertThat(total.adjustedLines()).isEqualTo(1);
        assertThat(total.modelRenewalArr()).isEqualByComparingTo(sum("6000.00", "9810.00"));
        assertThat(total.adjustedRenewalArr()).isEqualByComparingTo(sum("8000.00", "9810.00"));
        assertThat(forecasts.renewals(november15)).extracting(RenewalLine::contractId, RenewalLine::adjustmentId)
                .containsExactly(tuple("A-1", "ADJ-A1"), tuple("B-1", null));
        // Today A-1's chain is cleared and B-1 stands at 0.3: 22 000.00 x 0.3 = 6 600.00 instead of 11 000.00.
        ForecastFigures today = forecasts.portfolio(ForecastRequest.defaults()).total();
        assertThat(today.adjustedLines()).isEqualTo(1);
        assertThat(today.adjustedRenewalArr()).isEqualByComparingTo(sum("6000.00", "6600.00", "3000.00"));
    }

    @Test
    void a_decided_renewal_is_priced_at_the_as_of_date_rate_as_an_open_one_is() {
        // B-0 (b2, ends 2025-12-31, in FY2025-Q4 from 2025-10-01) was renewed for 10 000 EUR on 2025-12-10; its case's
        // signals are read on 2025-10-01 (EUR 1.07), but its amount, like every amount of the forecast, is at the as-of date's rate.
        store.jdbi().useHandle(handle -> {
            handle.execute("INSERT INTO fact_fx_rate VALUES (DATE '2025-10-01', 'EUR', 'USD', 1.07), (DATE '2025-12-15', 'EUR', 'USD', 1.09)");
            handle.execute("INSERT INTO dim_contract VALUES ('B-0', 'b2', 'plan', DATE '2025-06-01', DATE '2025-12-31', 9000.00, 'EUR', 10)");
            handle.execute("""
                    INSERT INTO fact_renewal_pipeline VALUES
                        ('OPP-B0', 'b2', 'B-0', 'RENEWAL', 'CLOSED_WON', 1.0000, 10000.00, 'EUR', DATE '2025-11-01', DATE '2025-12-31', DATE '2025-12-10')""");
        });

        // As of 2025-12-31 (EUR 1.10): B-0 10 000 x 1.10 = 11 000.00 (not 10 700.00 at 1.07); B-1 20 000 x 1.10 = 22 000.00.
        assertThat(forecasts.forecast("b2", ForecastRequest.defaults()).renewals())
                .extracting(RenewalLine::contractId, RenewalLine::status, RenewalLine::amount)
                .containsExactly(tuple("B-0", RenewalStatus.RENEWED, new BigDecimal("11000.00")), tuple("B-1", RenewalStatus.OPEN, new BigDecimal("22000.00")));
        // As of 2025-12-15 (EUR 1.09; B-0's case is copied from the stored ones): B-0 10 000 x 1.09 = 10 900.00; B-1 (OPP-B1 created
        // that day) 20 000 x 1.09 = 21 800.00.
        assertThat(forecasts.forecast("b2", new ForecastRequest(Optional.of(LocalDate.of(2025, 12, 15)), 4, Optional.of(List.of()))).renewals())
                .extracting(RenewalLine::contractId, RenewalLine::status, RenewalLine::amount)
                .containsExactly(tuple("B-0", RenewalStatus.RENEWED, new BigDecimal("10900.00")), tuple("B-1", RenewalStatus.OPEN, new BigDecimal("21800.00")));
    }

    @Test
    void a_group_whose_renewals_are_all_decided_has_its_certain_value_as_its_range() {
        // On 2025-02-28 A-0 (ending that day) was renewed for 10 000.00 on 2025-02-21: FY2025-Q1 holds that line alone.
        PortfolioForecast portfolio = forecasts.portfolio(new ForecastRequest(Optional.of(LocalDate.of(2025, 2, 28)), 4, Optional.of(List.of())));
        ForecastGroup q1 = portfolio.byQuarter().stream().filter(group -> group.quarterLabel().equals("FY2025-Q1")).findFirst().orElseThrow();
        assertThat(q1.figures().modelRenewalArr()).isEqualByComparingTo("10000.00");
        for (ForecastRange range : List.of(q1.figures().modelRenewalRange(), q1.figures().modelTotalRange())) {
            assertThat(range.method()).isEqualTo(IntervalMethod.CERTAIN);
            assertThat(List.of(range.p10(), range.p50(), range.p90())).allSatisfy(value -> assertThat(value).isEqualByComparingTo("10000.00"));
        }
    }

    @Test
    void an_adjustment_leaves_every_model_range_where_it_was() {
        // 40 more renewals in each of two groups, more than can be enumerated (16), so their ranges are simulated.
        store.jdbi().useHandle(handle -> {
            handle.execute("""
                    INSERT INTO dim_contract SELECT 'S-' || i, 'a1', 'core', DATE '2025-04-01', DATE '2026-03-31', 1000.00 + i, 'USD', 1
                    FROM range(40) t(i)""");
            handle.execute("""
                    INSERT INTO dim_contract SELECT 'E-' || i, 'b2', 'core', DATE '2025-07-01', DATE '2026-06-30', 2000.00 + i, 'USD', 1
                    FROM range(40) t(i)""");
            handle.execute("""
                    INSERT INTO fact_renewal_pipeline
                    SELECT 'OPP-' || contract_id, customer_id, contract_id, 'RENEWAL', 'DISCOVERY', 0.5000, committed_value, 'USD',
                           DATE '2025-12-01', end_date, NULL
                    FROM dim_contract WHERE contract_id LIKE 'S-%' OR contract_id LIKE 'E-%'""");
        });
        PortfolioForecast before = forecasts.portfolio(ForecastRequest.defaults());
        forecasts.adjust(new AdjustmentRequest(Optional.of("E-7"), Optional.empty(), Optional.of(new BigDecimal("0.9")), Optional.empty(), false,
                "signed order form", "csm", CALL));
        PortfolioForecast after = forecasts.portfolio(ForecastRequest.defaults());

        assertThat(after.total().adjustedLines()).isEqualTo(1);
        assertThat(before.bySegmentAndQuarter()).extracting(group -> group.figures().modelTotalRange().method()).contains(IntervalMethod.MONTE_CARLO);
        // The model did not change, so neither may any model range: the simulation draws for the same lines in the same order.
        assertThat(after.bySegmentAndQuarter()).extracting(group -> group.segment() + " " + group.quarterLabel() + " " + group.figures().modelTotalRange())
                .containsExactlyElementsOf(before.bySegmentAndQuarter().stream()
                        .map(group -> group.segment() + " " + group.quarterLabel() + " " + group.figures().modelTotalRange()).toList());
        assertThat(after.total().modelTotalRange()).isEqualTo(before.total().modelTotalRange());
    }

    @Test
    void a_shorter_horizon_stops_at_its_quarter() {
        PortfolioForecast portfolio = forecasts.portfolio(new ForecastRequest(Optional.empty(), 1, Optional.of(List.of())));

        assertThat(portfolio.horizonEnd()).isEqualTo(LocalDate.of(2026, 3, 31));
        assertThat(portfolio.total().modelTotal()).isEqualByComparingTo("6630.00");
        assertThat(portfolio.scenarios()).isEmpty();
        assertThatThrownBy(() -> forecasts.portfolio(new ForecastRequest(Optional.empty(), 5, Optional.empty()))).hasMessageContaining("horizonQuarters");
    }

    /** An adjustment row as {@code ForecastAdjustments} records it, with the recording instant (UTC) chosen by the test. */
    private static void insertAdjustment(Handle handle, String id, String contractId, String customerId, String probability,
            boolean cleared, String supersedes, String recordedAt) {
        handle.createUpdate("""
                        INSERT INTO forecast_adjustment VALUES (:id, 'RENEWAL', :contract, :customer, CAST(:probability AS DECIMAL(5, 4)), NULL, :cleared,
                            NULL, NULL, NULL, 'USD', 'test', 'csm', :supersedes, 0, CAST(:at AS TIMESTAMP))""")
                .bind("id", id)
                .bind("contract", contractId)
                .bind("customer", customerId)
                .bind("probability", probability)
                .bind("cleared", cleared)
                .bind("supersedes", supersedes)
                .bind("at", recordedAt)
                .execute();
    }

    private static BigDecimal sum(String... amounts) {
        BigDecimal total = BigDecimal.ZERO;
        for (String amount : amounts) {
            total = total.add(new BigDecimal(amount));
        }
        return total;
    }
}
