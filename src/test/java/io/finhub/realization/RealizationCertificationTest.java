package io.finhub.realization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finhub.TestStores;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Quarterly certification: immutable once made, superseded only by a new audited certification; and the value_realization events. */
class RealizationCertificationTest {
    private static final List<Evidence> QBR = List.of(new Evidence("QBR_DECK", "https://drive.example/acme-q1-qbr", "signed off by the customer"));
    private Store store;
    private RealizationService realization;
    private final List<ValueRealizationEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        store = TestStores.withFixture("realization_contract");
        RealizationEvents publisher = new RealizationEvents();
        realization = new RealizationService(store, Clock.fixed(Instant.parse("2025-07-15T09:30:00Z"), ZoneOffset.UTC), publisher, Runnable::run);
        publisher.subscribe(events::add);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static CertificationRequest q1(Optional<String> supersedes, Optional<String> reason) {
        return new CertificationRequest("k1", 2025, 1, "cs.lead@example.com", QBR, supersedes, reason, Optional.of("first quarter"));
    }

    @Test
    void a_certification_records_the_quarter_end_figures_with_their_evidence() {
        long before = store.dataVersion();

        Certification certified = realization.certify(q1(Optional.empty(), Optional.empty()));

        assertThat(store.dataVersion()).isGreaterThan(before);
        assertThat(certified.revision()).isEqualTo(1);
        assertThat(certified.current()).isTrue();
        assertThat(certified.quarterLabel()).isEqualTo("FY2025-Q1");
        assertThat(certified.measuredAsOf()).isEqualTo(LocalDate.of(2025, 3, 31));
        // Q1 end: adoption 0.75, hours 1.00, mean 0.875; 900 h x 45 = 40 500.00.
        assertThat(certified.realizationRate()).isEqualByComparingTo("0.875");
        assertThat(certified.status()).isEqualTo(DeliveryStatus.AT_RISK);
        assertThat(certified.valueToDate()).isEqualByComparingTo("40500.00");
        assertThat(certified.commitments()).hasSize(2);
        assertThat(certified.evidence()).containsExactlyElementsOf(QBR);
        assertThat(certified.certifiedBy()).isEqualTo("cs.lead@example.com");
        assertThat(certified.certifiedAt()).isEqualTo(Instant.parse("2025-07-15T09:30:00Z"));
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.kind()).isEqualTo(ValueRealizationEvent.Kind.CERTIFIED);
            assertThat(event.certificationId()).isEqualTo(certified.certificationId());
            assertThat(event.quarterLabel()).isEqualTo("FY2025-Q1");
        });
    }

    @Test
    void a_certified_quarter_cannot_be_certified_again_without_superseding_it() {
        Certification first = realization.certify(q1(Optional.empty(), Optional.empty()));

        assertThatThrownBy(() -> realization.certify(q1(Optional.empty(), Optional.empty())))
                .isInstanceOfSatisfying(FinhubException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_CERTIFIED);
                    assertThat(e.getMessage()).contains(first.certificationId());
                });
        assertThatThrownBy(() -> realization.certify(q1(Optional.of(first.certificationId()), Optional.empty())))
                .isInstanceOfSatisfying(FinhubException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
        assertThatThrownBy(() -> realization.certify(q1(Optional.of("CERT-other"), Optional.of("typo"))))
                .isInstanceOfSatisfying(FinhubException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_CERTIFIED));
    }

    @Test
    void superseding_keeps_both_certifications_on_record() {
        Certification first = realization.certify(q1(Optional.empty(), Optional.empty()));

        Certification second = realization.certify(q1(Optional.of(first.certificationId()), Optional.of("usage export corrected")));

        assertThat(second.revision()).isEqualTo(2);
        assertThat(second.supersedesId()).isEqualTo(first.certificationId());
        assertThat(second.reason()).isEqualTo("usage export corrected");
        List<Certification> all = realization.certifications("k1");
        assertThat(all).extracting(Certification::certificationId).containsExactly(first.certificationId(), second.certificationId());
        assertThat(all.get(0).current()).isFalse();
        assertThat(all.get(0).supersededById()).isEqualTo(second.certificationId());
        assertThat(all.get(1).current()).isTrue();
        assertThat(events).last().satisfies(event -> assertThat(event.supersededCertificationId()).isEqualTo(first.certificationId()));
    }

    @Test
    void certified_figures_stay_as_certified_when_the_facts_change() {
        Certification certified = realization.certify(q1(Optional.empty(), Optional.empty()));

        store.write("test", List.of("fact_success_metric"), handle -> handle.execute(
                "INSERT INTO fact_success_metric VALUES ('k1', 'seat_adoption_pct', DATE '2025-03-31', 80.0000)"));

        assertThat(realization.realization("k1", Optional.of(LocalDate.of(2025, 3, 31))).current().realizationRate()).isEqualByComparingTo("1");
        assertThat(realization.certifications("k1")).singleElement()
                .satisfies(kept -> assertThat(kept.realizationRate()).isEqualByComparingTo(certified.realizationRate()));
    }

    @Test
    void only_ended_quarters_within_the_contract_can_be_certified() {
        assertThatThrownBy(() -> realization.certify(new CertificationRequest("k1", 2025, 3, "cs", QBR, Optional.empty(), Optional.empty(), Optional.empty())))
                .isInstanceOfSatisfying(FinhubException.class, e -> assertThat(e.getMessage()).contains("has not ended"));
        assertThatThrownBy(() -> realization.certify(new CertificationRequest("k2", 2025, 1, "cs", QBR, Optional.empty(), Optional.empty(), Optional.empty())))
                .isInstanceOfSatisfying(FinhubException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
        assertThatThrownBy(() -> realization.certify(new CertificationRequest("k1", 2025, 1, "cs", List.of(), Optional.empty(), Optional.empty(), Optional.empty())))
                .isInstanceOfSatisfying(FinhubException.class, e -> assertThat(e.getMessage()).contains("evidence"));
    }

    @Test
    void subscribing_remembers_every_realization_and_a_change_of_the_facts_publishes_the_difference() {
        assertThat(events).isEmpty();

        // A late reading of the Q2 hours: 1810 of 1810 due, so hours reach 1.00 and the contract (0.95 + 1.00) / 2 = 0.975.
        store.write("test", List.of("fact_success_metric"), handle -> handle.execute(
                "INSERT INTO fact_success_metric VALUES ('k1', 'hours_saved', DATE '2025-06-30', 1810.0000)"));

        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.kind()).isEqualTo(ValueRealizationEvent.Kind.REALIZATION_CHANGED);
            assertThat(event.contractId()).isEqualTo("k1");
            assertThat(event.previousRealizationRate()).isEqualByComparingTo("0.925");
            assertThat(event.realizationRate()).isEqualByComparingTo("0.975");
            assertThat(event.status()).isEqualTo(DeliveryStatus.BEHIND);
        });
        assertThat(realization.publishChanges()).isEmpty();
    }
}
