package io.finhub.forecast;

import static java.util.Objects.requireNonNull;

import io.finhub.realization.Evidence;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * A customer-success override of one forecast line: the renewal of {@code contractId}, or the
 * opportunity {@code opportunityId} (an expansion, or a renewal opportunity standing for its
 * contract). It sets the probability and/or the amount (reporting currency), or, with
 * {@code clear}, withdraws the line's current adjustment. Always with a reason and evidence.
 */
public record AdjustmentRequest(Optional<String> contractId, Optional<String> opportunityId, Optional<BigDecimal> probability,
        Optional<BigDecimal> amount, boolean clear, String reason, String adjustedBy, List<Evidence> evidence) {
    public AdjustmentRequest {
        requireNonNull(contractId, "contractId is null");
        requireNonNull(opportunityId, "opportunityId is null");
        requireNonNull(probability, "probability is null");
        requireNonNull(amount, "amount is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(adjustedBy, "adjustedBy is null");
        evidence = List.copyOf(requireNonNull(evidence, "evidence is null"));
    }
}
