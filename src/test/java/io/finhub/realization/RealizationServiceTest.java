package io.finhub.realization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finhub.TestStores;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.Store;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Realization maths on the {@code realization_contract} fixture, every figure worked out by hand in
 * the test from the fixture's numbers: k1 commits to 80 % adoption and 3 650 hours over 365 days,
 * costs 40 150.00 USD (36 500 EUR × 1.10) and an hour saved is worth USD 45.
 */
class RealizationServiceTest {
    private static final BigDecimal COMMITTED = new BigDecimal("36500.00").multiply(new BigDecimal("1.10")).setScale(2);
    private static final BigDecimal HOUR = new BigDecimal("45");
    private static Store store;
    private static RealizationService realization;

    @BeforeAll
    static void open() {
        store = TestStores.withFixture("realization_contract");
        realization = new RealizationService(store, Clock.fixed(Instant.parse("2025-07-15T00:00:00Z"), ZoneOffset.UTC), new RealizationEvents(), Runnable::run);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void a_contract_is_measured_on_the_day_its_data_runs_to() {
        ContractRealization k1 = realization.realization("k1", Optional.empty());

        assertThat(k1.asOf()).isEqualTo(LocalDate.of(2025, 6, 30));
        assertThat(k1.committedValue()).isEqualByComparingTo("40150.00");
        assertThat(k1.currency()).isEqualTo("USD");
        Map<String, KpiRealization> kpis = k1.commitments().stream().collect(Collectors.toMap(KpiRealization::kpi, kpi -> kpi));
        // Adoption is a rate: 76 of 80 = 0.95; never reached 80, so 0 of its 2 milestones; running, >= 90 % of due: BEHIND.
        KpiRealization adoption = kpis.get("seat_adoption_pct");
        assertThat(adoption.pointInTime()).isTrue();
        assertThat(adoption.due()).isEqualByComparingTo("80");
        assertThat(adoption.realizationRate()).isEqualByComparingTo(ratio(76, 80));
        assertThat(adoption.milestonesMet()).isZero();
        assertThat(adoption.milestonesDue()).isEqualTo(2);
        assertThat(adoption.status()).isEqualTo(DeliveryStatus.BEHIND);
        // Hours are a counter: 3650 x 181 / 365 = 1810 due on day 181; 1629 / 1810 = 0.9. Q1 met its 900, Q2 did not.
        KpiRealization hours = kpis.get("hours_saved");
        assertThat(hours.pointInTime()).isFalse();
        assertThat(hours.due()).isEqualByComparingTo("1810");
        assertThat(hours.realizationRate()).isEqualByComparingTo(ratio(1629, 1810));
        assertThat(hours.milestonesMet()).isEqualTo(1);
        assertThat(hours.status()).isEqualTo(DeliveryStatus.BEHIND);

        RealizationCheckpoint current = k1.current();
        assertThat(current.asOf()).isEqualTo(LocalDate.of(2025, 6, 30));
        assertThat(current.quarterLabel()).isEqualTo("FY2025-Q2");
        assertThat(current.realizationRate()).isEqualByComparingTo(new BigDecimal("0.95").add(new BigDecimal("0.90")).divide(BigDecimal.valueOf(2)));
        assertThat(current.status()).isEqualTo(DeliveryStatus.BEHIND);
        assertThat(current.atRisk()).isFalse();
        assertThat(current.milestonesMet()).isEqualTo(1);
        assertThat(current.milestonesDue()).isEqualTo(4);
        // Latest usage on 2025-06-01: 70 of 100 seats; 30 unused seats of 40 150.00 = 12 045.00.
        assertThat(current.seatsUsed()).isEqualTo(70);
        assertThat(current.utilizationPct()).isEqualByComparingTo("70");
        assertThat(current.featureAdoptionPct()).isEqualByComparingTo("55");
        assertThat(current.unusedLicenseValue()).isEqualByComparingTo(COMMITTED.multiply(BigDecimal.valueOf(30)).divide(BigDecimal.valueOf(100)));
        // Value: 1629 h x 45 = 73 305.00; paid on day 181: 40 150.00 x 181 / 365 = 19 910.00.
        BigDecimal value = HOUR.multiply(BigDecimal.valueOf(1629));
        BigDecimal paid = COMMITTED.multiply(BigDecimal.valueOf(181)).divide(BigDecimal.valueOf(365), 2, RoundingMode.HALF_UP);
        assertThat(current.valueToDate()).isEqualByComparingTo(value);
        assertThat(current.paidToDate()).isEqualByComparingTo(paid).isEqualByComparingTo("19910.00");
        assertThat(current.roi()).isEqualByComparingTo(value.divide(paid, 6, RoundingMode.HALF_EVEN).subtract(BigDecimal.ONE));
        // Run rate to the end: 73 305.00 x 365 / 181 = 147 825.00, against the whole 40 150.00.
        BigDecimal projected = value.multiply(BigDecimal.valueOf(365)).divide(BigDecimal.valueOf(181), 2, RoundingMode.HALF_UP);
        assertThat(k1.projectedValueAtEnd()).isEqualByComparingTo(projected).isEqualByComparingTo("147825.00");
        assertThat(k1.projectedRoiAtEnd()).isEqualByComparingTo(projected.divide(COMMITTED, 6, RoundingMode.HALF_EVEN).subtract(BigDecimal.ONE));
    }

    @Test
    void the_trajectory_has_one_checkpoint_per_quarter() {
        List<RealizationCheckpoint> trajectory = realization.realization("k1", Optional.empty()).trajectory();

        assertThat(trajectory).extracting(RealizationCheckpoint::quarterLabel).containsExactly("FY2025-Q1", "FY2025-Q2");
        RealizationCheckpoint q1 = trajectory.get(0);
        // Day 90: adoption 60 / 80 = 0.75 (AT_RISK), hours 900 / 900 = 1; mean 0.875.
        assertThat(q1.asOf()).isEqualTo(LocalDate.of(2025, 3, 31));
        assertThat(q1.realizationRate()).isEqualByComparingTo("0.875");
        assertThat(q1.status()).isEqualTo(DeliveryStatus.AT_RISK);
        assertThat(q1.atRisk()).isTrue();
        assertThat(q1.milestonesMet()).isEqualTo(1);
        assertThat(q1.milestonesDue()).isEqualTo(2);
        assertThat(q1.seatsUsed()).isEqualTo(50);
        assertThat(q1.unusedLicenseValue()).isEqualByComparingTo(COMMITTED.divide(BigDecimal.valueOf(2)));
        // 900 h x 45 = 40 500.00 against 40 150.00 x 90 / 365 = 9 900.00.
        assertThat(q1.valueToDate()).isEqualByComparingTo("40500.00");
        assertThat(q1.paidToDate()).isEqualByComparingTo(COMMITTED.multiply(BigDecimal.valueOf(90)).divide(BigDecimal.valueOf(365), 2, RoundingMode.HALF_UP));
        assertThat(q1.roi()).isEqualByComparingTo(new BigDecimal("40500").divide(new BigDecimal("9900"), 6, RoundingMode.HALF_EVEN).subtract(BigDecimal.ONE));
    }

    @Test
    void a_day_inside_a_quarter_sees_only_what_was_measured_by_then() {
        ContractRealization k1 = realization.realization("k1", Optional.of(LocalDate.of(2025, 5, 15)));

        assertThat(k1.current().asOf()).isEqualTo(LocalDate.of(2025, 5, 15));
        assertThat(k1.current().quarterLabel()).isEqualTo("FY2025-Q2");
        assertThat(k1.current().realizationRate()).isEqualByComparingTo("0.875");
        assertThat(k1.current().seatsUsed()).isEqualTo(50);
        assertThat(k1.commitments()).extracting(KpiRealization::measuredOn).containsOnly(LocalDate.of(2025, 3, 31));
    }

    @Test
    void a_commitment_without_a_reading_does_not_count_as_delivered() {
        // k2 commits to 80 % adoption and 1,000 hours; only adoption was read (10 of 80 = 0.125). The contract's rate is the
        // mean over its measured commitments, 0.125: the unmeasured one counted as fully delivered (1.125, "112.5 %").
        RealizationCheckpoint current = k2Today("""
                ('k2-adoption', 'k2', 'seat_adoption_pct', 'percent', 80.0000, DATE '2025-04-01', DATE '2026-03-31'),
                ('k2-hours', 'k2', 'hours_saved', 'hours', 1000.0000, DATE '2025-04-01', DATE '2026-03-31')""",
                "('k2', 'seat_adoption_pct', DATE '2025-06-30', 10.0000)");

        assertThat(current.realizationRate()).isEqualByComparingTo(ratio(10, 80));
    }

    @Test
    void a_contract_rate_is_the_mean_of_the_unrounded_commitment_rates_rounded_once() {
        // k2 scores 182.5 of 243 (182.5 / 243 = 0.75102880658...) and 85 of 80 (1.0625, capped at 1).
        // Mean (0.75102880658... + 1) / 2 = 0.87551440329... -> 0.875514 (87.5514 %). Rounding each rate first
        // gives (0.751029 + 1) / 2 = 0.8755145 -> 0.875515.
        BigDecimal expected = new BigDecimal("182.5").divide(new BigDecimal("243"), 20, RoundingMode.HALF_UP).add(BigDecimal.ONE)
                .divide(BigDecimal.valueOf(2), 6, RoundingMode.HALF_UP);
        assertThat(expected).isEqualByComparingTo("0.875514");
        RealizationCheckpoint current = k2Today("""
                ('k2-nps', 'k2', 'nps', 'score', 243.0000, DATE '2025-04-01', DATE '2026-03-31'),
                ('k2-adoption', 'k2', 'seat_adoption_pct', 'percent', 80.0000, DATE '2025-04-01', DATE '2026-03-31')""", """
                ('k2', 'nps', DATE '2025-06-30', 182.5000),
                ('k2', 'seat_adoption_pct', DATE '2025-06-30', 85.0000)""");

        assertThat(current.realizationRate()).isEqualByComparingTo(expected);
    }

    @Test
    void a_contract_without_commitments_is_not_measured() {
        ContractRealization k2 = realization.realization("k2", Optional.empty());

        assertThat(k2.current().status()).isEqualTo(DeliveryStatus.NOT_MEASURED);
        assertThat(k2.current().realizationRate()).isNull();
        assertThat(k2.commitments()).isEmpty();
        assertThat(k2.committedValue()).isEqualByComparingTo("12000.00");
    }

    @Test
    void the_summary_weights_contracts_by_committed_value_per_quarter() {
        RealizationSummary summary = realization.summary(new RealizationSummaryRequest(RealizationGrouping.SEGMENT, Optional.empty(), Optional.empty(),
                false, 100, 0));

        assertThat(summary.dataAsOf()).isEqualTo(LocalDate.of(2025, 6, 30));
        assertThat(summary.rows()).extracting(row -> row.quarterLabel() + " " + row.key())
                .containsExactly("FY2025-Q1 SMB", "FY2025-Q2 ENTERPRISE", "FY2025-Q2 SMB");
        RealizationSummaryRow q1 = summary.rows().get(0);
        assertThat(q1.realizationPct()).isEqualByComparingTo("87.5");
        assertThat(q1.atRiskContracts()).isEqualTo(1);
        assertThat(q1.utilizationPct()).isEqualByComparingTo("50");
        // (40 500.00 - 9 900.00) / 9 900.00 x 100 = 309.0909 %.
        assertThat(q1.roiPct()).isEqualByComparingTo(new BigDecimal("30600").multiply(BigDecimal.valueOf(100)).divide(new BigDecimal("9900"), 4,
                RoundingMode.HALF_EVEN));
        RealizationSummaryRow enterprise = summary.rows().get(1);
        assertThat(enterprise.contracts()).isEqualTo(1);
        assertThat(enterprise.measuredContracts()).isZero();
        assertThat(enterprise.realizationPct()).isNull();
        assertThat(enterprise.committedValue()).isEqualByComparingTo("12000.00");
        assertThat(summary.rows().get(2).realizationPct()).isEqualByComparingTo("92.5");
    }

    @Test
    void at_risk_only_keeps_the_contracts_at_risk() {
        RealizationSummary summary = realization.summary(new RealizationSummaryRequest(RealizationGrouping.CONTRACT, Optional.empty(), Optional.empty(),
                true, 100, 0));

        assertThat(summary.rows()).extracting(row -> row.quarterLabel() + " " + row.key()).containsExactly("FY2025-Q1 k1");
    }

    @Test
    void unknown_contracts_and_days_before_the_term_are_refused() {
        assertThatThrownBy(() -> realization.realization("nope", Optional.empty()))
                .isInstanceOfSatisfying(FinhubException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> realization.realization("k2", Optional.of(LocalDate.of(2025, 1, 1))))
                .isInstanceOfSatisfying(FinhubException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_DATE_RANGE));
    }

    /** k2's realization on the day its data runs to, in a store of its own with these commitments and readings added. */
    private static RealizationCheckpoint k2Today(String commitments, String readings) {
        try (Store own = TestStores.withFixture("realization_contract")) {
            own.jdbi().useHandle(handle -> {
                handle.execute("INSERT INTO fact_contract_commitment VALUES " + commitments);
                handle.execute("INSERT INTO fact_success_metric VALUES " + readings);
            });
            RealizationService service = new RealizationService(own, Clock.fixed(Instant.parse("2025-07-15T00:00:00Z"), ZoneOffset.UTC),
                    new RealizationEvents(), Runnable::run);
            return service.realization("k2", Optional.empty()).current();
        }
    }

    private static BigDecimal ratio(long numerator, long denominator) {
        return BigDecimal.valueOf(numerator).divide(BigDecimal.valueOf(denominator), 6, RoundingMode.HALF_UP);
    }
}
