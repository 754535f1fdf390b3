package io.finhub.realization;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A {@code value_realization} event: a quarter was certified (superseding an earlier certification
 * when {@code supersededCertificationId} is set), or a contract's realization changed with the facts.
 *
 * @param quarterLabel the certified quarter; null for a change of realization
 * @param realizationRate the contract's realization rate (0..1) now; null before its first measurement
 * @param previousRealizationRate the rate before; null for a first reading or a first certification
 * @param previousStatus the status before; null for a first reading or a first certification
 */
public record ValueRealizationEvent(Kind kind, String contractId, String customerId, String quarterLabel, String certificationId,
        String supersededCertificationId, BigDecimal realizationRate, BigDecimal previousRealizationRate, DeliveryStatus status,
        DeliveryStatus previousStatus, long dataVersion, Instant occurredAt) {
    /** The topic the alerts feature publishes these events on. */
    public static final String EVENT_NAME = "value_realization";

    public ValueRealizationEvent {
        requireNonNull(kind, "kind is null");
        requireNonNull(contractId, "contractId is null");
        requireNonNull(customerId, "customerId is null");
        requireNonNull(status, "status is null");
        requireNonNull(occurredAt, "occurredAt is null");
    }

    public enum Kind {
        CERTIFIED,
        REALIZATION_CHANGED
    }
}
