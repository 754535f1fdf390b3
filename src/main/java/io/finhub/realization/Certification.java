package io.finhub.realization;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A certified quarter of one contract, immutable. {@code current} is false once a later revision
 * supersedes it.
 *
 * @param basisDataVersion the data version the certified figures were computed on
 */
public record Certification(String certificationId, String contractId, String customerId, int fiscalYear, int fiscalQuarter, String quarterLabel,
        LocalDate quarterStart, LocalDate quarterEnd, LocalDate measuredAsOf, int revision, String supersedesId, String supersededById,
        boolean current, BigDecimal realizationRate, DeliveryStatus status, int milestonesMet, int milestonesDue, BigDecimal valueToDate,
        BigDecimal paidToDate, BigDecimal roi, String currency, String certifiedBy, String reason, String note, long basisDataVersion,
        Instant certifiedAt, List<KpiRealization> commitments, List<Evidence> evidence) {
    public Certification {
        requireNonNull(certificationId, "certificationId is null");
        requireNonNull(contractId, "contractId is null");
        requireNonNull(status, "status is null");
        commitments = List.copyOf(commitments);
        evidence = List.copyOf(evidence);
    }
}
