package io.finhub.realization;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * One contract's delivery against its commitments, utilisation gap and ROI trajectory, as of a day.
 *
 * @param current the checkpoint on {@code asOf} (or the contract end, when earlier)
 * @param trajectory one checkpoint per fiscal quarter from the contract start to {@code current}
 * @param projectedValueAtEnd realised value extrapolated to the contract end at the run rate so far
 * @param projectedRoiAtEnd projectedValueAtEnd ÷ committed value − 1
 */
public record ContractRealization(String contractId, String customerId, String customerName, String segment, String productId,
        LocalDate startDate, LocalDate endDate, int licensedSeats, BigDecimal committedValue, String currency, LocalDate asOf,
        RealizationCheckpoint current, List<KpiRealization> commitments, List<RealizationCheckpoint> trajectory, BigDecimal projectedValueAtEnd,
        BigDecimal projectedRoiAtEnd, List<Certification> certifications, long dataVersion) {
    public ContractRealization {
        requireNonNull(contractId, "contractId is null");
        requireNonNull(current, "current is null");
        commitments = List.copyOf(commitments);
        trajectory = List.copyOf(trajectory);
        certifications = List.copyOf(certifications);
    }
}
