package io.finhub.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finhub.attribution.AttributionCsPortfolio.Programme;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.Store;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Customer-success attribution on {@code customer_success.sql}; every figure is worked out by hand in the comments. */
class AttributionCustomerSuccessTest {
    private Store store;
    private AttributionEvents events;
    private AttributionCsService customerSuccess;

    @BeforeEach
    void open() {
        store = AttributionFixtures.store("customer_success");
        events = new AttributionEvents();
        customerSuccess = new AttributionCsService(store, events);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void expansion_is_credited_to_activities_by_health_uplift_with_its_evidence() {
        customerSuccess.refresh();
        // xa 800.00: QBR uplift 75 − 50 = 25, training 75 − 60 = 15 → 25/40 = 500.00 and 15/40 = 300.00.
        // xc 300.00: escalation 55 − 40 = 15, the only one → 300.00.
        List<String> credits = store.jdbi().withHandle(handle -> handle.createQuery("""
                SELECT outcome_id || ' ' || activity_id || ' ' || share || ' ' || attributed_amount FROM attribution_cs_credit
                WHERE outcome_type = 'EXPANSION' ORDER BY outcome_id, activity_id""").mapTo(String.class).list());
        assertThat(credits).containsExactly("xa act-a1 0.625000 500.00", "xa act-a2 0.375000 300.00", "xc act-c1 1.000000 300.00");
        String evidence = store.jdbi().withHandle(handle -> handle.createQuery("SELECT evidence FROM attribution_cs_credit WHERE activity_id = 'act-a1'")
                .mapTo(String.class).one());
        assertThat(evidence).contains("\"method\":\"health-uplift\"", "\"scoreBefore\":50", "\"scoreAfter\":75", "\"uplift\":25", "\"scoredBefore\":\"2025-01-01\"");
    }

    @Test
    void portfolio_of_a_quarter_values_churn_protection_and_programme_roi() {
        AttributionCsPortfolio portfolio = customerSuccess.portfolio(AttributionPeriod.parse("FY2025-Q1", store.calendar()));
        // Baseline AT_RISK without intervention: e lost, f renewed, g lost → 1/3.
        assertThat(portfolio.baselines()).extracting(baseline -> baseline.riskBand() + " " + baseline.renewed() + "/" + baseline.closed() + " "
                + baseline.renewalProbability()).containsExactly("AT_RISK 1/3 0.333333");
        // d renewed 1200.00 while AT_RISK after interventions: 1200 × (1 − 1/3) = 800.00, split over the escalation and the QBR: 400.00 each.
        // Q1 expansion: xa 800.00 credited (QBR 500, training 300), xb 1000 EUR × 1.20 = 1200.00 not credited.
        assertThat(portfolio.expansionRevenue()).isEqualByComparingTo("2000.00");
        assertThat(portfolio.expansionAttributed()).isEqualByComparingTo("800.00");
        assertThat(portfolio.expansionUnattributed()).isEqualByComparingTo("1200.00");
        assertThat(portfolio.churnProtectionValue()).isEqualByComparingTo("800.00");
        assertThat(portfolio.outcomeValue()).isEqualByComparingTo("1600.00");
        // Cost: QBR 500.00, training 200 EUR × 1.10 = 220.00, escalations 100.00 → 820.00; ROI 1600 / 820 = 1.9512.
        assertThat(portfolio.csCost()).isEqualByComparingTo("820.00");
        assertThat(portfolio.roi()).isEqualByComparingTo("1.9512");
        // QBR 500 + 400 = 900 / 500 = 1.8; training 300 / 220 = 1.3636; escalations 400 / 100 = 4.
        assertThat(programmes(portfolio)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "escalation", "0.00 400.00 400.00 100.00 4.0000",
                "qbr", "500.00 400.00 900.00 500.00 1.8000",
                "training", "300.00 0.00 300.00 220.00 1.3636"));
        assertThat(portfolio.reconciliation()).allSatisfy(line -> assertThat(line.variance()).as(line.item()).isEqualByComparingTo("0"));
    }

    @Test
    void recording_an_outcome_for_a_deal_supersedes_its_computed_credit_and_publishes_an_update() {
        List<AttributionUpdate> updates = new ArrayList<>();
        events.subscribe(updates::add);
        long before = store.dataVersion();
        // xb: the QBR of 03-05 has no later score, so no uplift: the one activity takes everything (equal split).
        AttributionCsOutcome outcome = customerSuccess.record("b", new AttributionCsOutcomeInput(AttributionCsOutcomeType.EXPANSION,
                new BigDecimal("1000.00"), "EUR", LocalDate.of(2025, 3, 20), "xb", "upsell after QBR", List.of()));
        assertThat(outcome.reportingAmount()).isEqualByComparingTo("1200.00");
        assertThat(outcome.method()).isEqualTo("equal-split");
        assertThat(outcome.allocations()).extracting(allocation -> allocation.programId() + " " + allocation.activityId() + " " + allocation.share() + " "
                + allocation.amount()).containsExactly("qbr act-b1 1.000000 1200.00");
        assertThat(outcome.dataVersion()).isEqualTo(before + 1);
        assertThat(updates).singleElement().satisfies(update -> {
            assertThat(update.kind()).isEqualTo(AttributionUpdate.Kind.CUSTOMER_SUCCESS);
            assertThat(update.customerId()).hasValue("b");
        });

        AttributionCsPortfolio portfolio = customerSuccess.portfolio(AttributionPeriod.parse("2025-01-01..2025-03-31", store.calendar()));
        // Booked 2000.00 = credited 800.00 (xa) + superseded 1200.00 (xb) + not credited 0; attributed 800 + 1200 = 2000.
        assertThat(portfolio.expansionAttributed()).isEqualByComparingTo("2000.00");
        assertThat(portfolio.expansionUnattributed()).isEqualByComparingTo("0.00");
        assertThat(programmes(portfolio).get("qbr")).isEqualTo("1700.00 400.00 2100.00 500.00 4.2000");
        assertThat(portfolio.reconciliation()).allSatisfy(line -> assertThat(line.variance()).as(line.item()).isEqualByComparingTo("0"));
    }

    @Test
    void a_recorded_outcome_naming_a_deal_counts_in_the_deal_period_whatever_its_own_date() {
        try (Store periods = AttributionFixtures.store("customer_success_periods")) {
            AttributionCsService service = new AttributionCsService(periods, new AttributionEvents());
            AttributionPeriod q2 = AttributionPeriod.parse("FY2025-Q2", periods.calendar());
            AttributionPeriod q3 = AttributionPeriod.parse("FY2025-Q3", periods.calendar());
            // X1 recorded on its own date 06-30 by health uplift: QBR a1 55 → 80 = 25, training a2 60 → 80 = 20 (of 45):
            // 1000 × 25/45 = 555.555… → 555.56 to pg1, 1000 × 20/45 = 444.444… → 444.44 to pg2.
            service.record("cu13", new AttributionCsOutcomeInput(AttributionCsOutcomeType.EXPANSION, new BigDecimal("1000.00"), "USD",
                    LocalDate.of(2025, 6, 30), "X1", null, List.of()));
            // X3 still computed: 300 × 25/45 = 166.666… and 300 × 20/45 = 133.333…: floors 166.66 + 133.33 = 299.99, the
            // missing cent to the larger remainder (a1) → pg1 166.67, pg2 133.33. Q2: 1342.00 = 1300.00 attributed + 42.00 (X2).
            AttributionCsPortfolio before = service.portfolio(q2);
            assertThat(before.expansionRevenue()).isEqualByComparingTo("1342.00");
            assertThat(before.expansionAttributed()).isEqualByComparingTo("1300.00");
            assertThat(before.expansionUnattributed()).isEqualByComparingTo("42.00");
            assertThat(expansionByProgramme(before)).containsExactlyInAnyOrderEntriesOf(Map.of("pg1", "722.23", "pg2", "577.77"));

            // X3 (booked 06-20, Q2) recorded one quarter later, all to pg1; and 50.00 naming no deal on the same day, all to pg2.
            service.record("cu13", new AttributionCsOutcomeInput(AttributionCsOutcomeType.EXPANSION, new BigDecimal("300.00"), "USD",
                    LocalDate.of(2025, 7, 5), "X3", null, List.of(new AttributionCsOutcomeInput.Allocation("pg1", null, BigDecimal.ONE, "QBR"))));
            service.record("cu13", new AttributionCsOutcomeInput(AttributionCsOutcomeType.EXPANSION, new BigDecimal("50.00"), "USD",
                    LocalDate.of(2025, 7, 5), null, null, List.of(new AttributionCsOutcomeInput.Allocation("pg2", null, BigDecimal.ONE, "training"))));

            // Q2 keeps X3, now as recorded: pg1 555.56 + 300.00 = 855.56, pg2 444.44; 855.56 + 444.44 = 1300.00, + 42.00 = 1342.00.
            AttributionCsPortfolio second = service.portfolio(q2);
            assertThat(second.expansionRevenue()).isEqualByComparingTo("1342.00");
            assertThat(second.expansionAttributed()).isEqualByComparingTo("1300.00");
            assertThat(second.expansionUnattributed()).isEqualByComparingTo("42.00");
            assertThat(expansionByProgramme(second)).containsExactlyInAnyOrderEntriesOf(Map.of("pg1", "855.56", "pg2", "444.44"));
            // Superseded X1 + X3 = 1300.00 against recorded 1000.00 + 300.00; programmes 1300.00 = credited 0 + 1300.00 + no other.
            assertThat(reconciliation(second)).contains("booked expansion 1342.00 1342.00", "recorded expansion 1300.00 1300.00",
                    "programme expansion 1300.00 1300.00");
            assertThat(second.reconciliation()).allSatisfy(line -> assertThat(line.variance()).as(line.item()).isEqualByComparingTo("0"));

            // Q3 has no deal: only the 50.00 that names none, on its own date.
            AttributionCsPortfolio third = service.portfolio(q3);
            assertThat(third.expansionRevenue()).isEqualByComparingTo("0.00");
            assertThat(third.expansionAttributed()).isEqualByComparingTo("50.00");
            assertThat(expansionByProgramme(third)).containsExactlyInAnyOrderEntriesOf(Map.of("pg2", "50.00"));
            assertThat(reconciliation(third)).contains("programme expansion 50.00 50.00");
            assertThat(third.reconciliation()).allSatisfy(line -> assertThat(line.variance()).as(line.item()).isEqualByComparingTo("0"));
        }
    }

    @Test
    void a_recorded_churn_protection_naming_a_renewal_counts_in_the_renewal_period() {
        // r-d closed 03-31 (Q1); its 800.00 computed credit (escalation 400, QBR 400) is replaced by 900.00 recorded on 04-10, all to the QBR.
        customerSuccess.record("d", new AttributionCsOutcomeInput(AttributionCsOutcomeType.CHURN_PROTECTION, new BigDecimal("900.00"), "USD",
                LocalDate.of(2025, 4, 10), "r-d", null, List.of(new AttributionCsOutcomeInput.Allocation("qbr", null, BigDecimal.ONE, "renewal call"))));
        AttributionCsPortfolio q1 = customerSuccess.portfolio(AttributionPeriod.parse("FY2025-Q1", store.calendar()));
        // Q1: expansion 800.00 (xa) + churn protection 900.00 = 1700.00; ROI 1700 / 820 = 2.07317… → 2.0732.
        assertThat(q1.churnProtectionValue()).isEqualByComparingTo("900.00");
        assertThat(q1.outcomeValue()).isEqualByComparingTo("1700.00");
        assertThat(q1.roi()).isEqualByComparingTo("2.0732");
        // QBR 500 + 900 = 1400 / 500 = 2.8; escalations 0 / 100 = 0; training as before.
        assertThat(programmes(q1)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "escalation", "0.00 0.00 0.00 100.00 0.0000",
                "qbr", "500.00 900.00 1400.00 500.00 2.8000",
                "training", "300.00 0.00 300.00 220.00 1.3636"));
        assertThat(customerSuccess.portfolio(AttributionPeriod.parse("FY2025-Q2", store.calendar())).churnProtectionValue()).isEqualByComparingTo("0.00");
    }

    @Test
    void a_manual_allocation_keeps_its_evidence_and_splits_to_the_cent() {
        // 100.01 split 0.333334 / 0.333333 / 0.333333 (worked out below).
        AttributionCsOutcome outcome = customerSuccess.record("a", new AttributionCsOutcomeInput(AttributionCsOutcomeType.CHURN_PROTECTION,
                new BigDecimal("100.01"), "USD", LocalDate.of(2025, 2, 20), null, null, List.of(
                        new AttributionCsOutcomeInput.Allocation("qbr", "act-a1", new BigDecimal("0.333334"), "renewal call notes"),
                        new AttributionCsOutcomeInput.Allocation("training", null, new BigDecimal("0.333333"), "training attendance"),
                        new AttributionCsOutcomeInput.Allocation("escalation", null, new BigDecimal("0.333333"), "escalation ticket"))));
        assertThat(outcome.method()).isEqualTo("manual");
        assertThat(outcome.allocations()).extracting(allocation -> allocation.programId() + " " + allocation.amount() + " " + allocation.evidence())
                .containsExactly("qbr 33.34 renewal call notes", "training 33.34 training attendance", "escalation 33.33 escalation ticket");
        // Shares × 100.01 = 33.3367, 33.3366, 33.3366: floors 33.33 × 3 = 99.99; the 2 missing cents by largest
        // remainder: qbr (.67) first, then the earlier of the two equal .66 (training).
    }

    @Test
    void invalid_outcomes_are_refused_with_a_reason() {
        assertThatThrownBy(() -> customerSuccess.record("nobody", outcome(List.of())))
                .isInstanceOfSatisfying(FinhubException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> customerSuccess.record("a", outcome(List.of(new AttributionCsOutcomeInput.Allocation("qbr", null, new BigDecimal("0.9"), "x")))))
                .isInstanceOfSatisfying(FinhubException.class, e -> assertThat(e.getMessage()).contains("sum to exactly 1"));
        assertThatThrownBy(() -> customerSuccess.record("e", outcome(List.of())))
                .isInstanceOfSatisfying(FinhubException.class, e -> assertThat(e.getMessage()).contains("no CS activity"));
        assertThatThrownBy(() -> customerSuccess.record("a", new AttributionCsOutcomeInput(AttributionCsOutcomeType.EXPANSION, new BigDecimal("10.00"),
                "GBP", LocalDate.of(2025, 3, 1), null, null, List.of())))
                .isInstanceOfSatisfying(FinhubException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MISSING_FX_RATE));
    }

    private static AttributionCsOutcomeInput outcome(List<AttributionCsOutcomeInput.Allocation> allocations) {
        return new AttributionCsOutcomeInput(AttributionCsOutcomeType.EXPANSION, new BigDecimal("10.00"), "USD", LocalDate.of(2025, 3, 1), null, null, allocations);
    }

    private static Map<String, String> expansionByProgramme(AttributionCsPortfolio portfolio) {
        return portfolio.programmes().stream().collect(Collectors.toMap(Programme::programId, programme -> programme.expansion().toPlainString()));
    }

    /** Each line as its item's first two words, expected and actual. */
    private static List<String> reconciliation(AttributionCsPortfolio portfolio) {
        return portfolio.reconciliation().stream().map(line -> String.join(" ", Arrays.asList(line.item().split(" ")).subList(0, 2)) + " "
                + line.expected().toPlainString() + " " + line.actual().toPlainString()).toList();
    }

    private static Map<String, String> programmes(AttributionCsPortfolio portfolio) {
        return portfolio.programmes().stream().collect(Collectors.toMap(Programme::programId, programme -> programme.expansion() + " "
                + programme.churnProtection() + " " + programme.outcomeValue() + " " + programme.cost() + " " + programme.roi()));
    }
}
