package io.finhub.forecast;

import static java.util.Objects.requireNonNull;

import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.realization.Evidence;
import io.finhub.store.Store;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Customer-success overrides of forecast lines: validated, recorded with the model figures they
 * override and their evidence as one committed change, and announced as {@code forecast_adjustment}.
 */
final class ForecastAdjustments {
    private final Store store;
    private final Clock clock;
    private final ForecastEvents events;
    private final ForecastService forecasts;
    private final Object recording = new Object();

    ForecastAdjustments(Store store, Clock clock, ForecastEvents events, ForecastService forecasts) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.events = requireNonNull(events, "events is null");
        this.forecasts = requireNonNull(forecasts, "forecasts is null");
    }

    private record Target(AdjustmentTarget kind, String targetId, String customerId) {}

    ForecastAdjustment adjust(AdjustmentRequest request) {
        requireNonNull(request, "request is null");
        validate(request);
        synchronized (recording) {
            Target target = store.jdbi().withHandle(handle -> target(handle, request));
            Optional<String> previous = store.jdbi().withHandle(handle -> handle.createQuery("""
                            SELECT a.adjustment_id FROM forecast_adjustment a
                            WHERE a.target_kind = :kind AND a.target_id = :id
                              AND NOT EXISTS (SELECT 1 FROM forecast_adjustment later WHERE later.supersedes_id = a.adjustment_id)""")
                    .bind("kind", target.kind().name())
                    .bind("id", target.targetId())
                    .mapTo(String.class)
                    .findOne());
            if (request.clear() && previous.isEmpty()) {
                throw new FinhubException(ErrorCode.BAD_REQUEST, "the %s of %s has no adjustment to clear".formatted(target.kind().name().toLowerCase(),
                        target.targetId()));
            }
            Optional<ForecastService.ModelFigures> model = forecasts.modelFigures(target.kind(), target.targetId(), target.customerId());
            BigDecimal modelProbability = model.map(ForecastService.ModelFigures::probability).orElse(null);
            BigDecimal modelAmount = model.map(ForecastService.ModelFigures::amount).orElse(null);
            LocalDate modelAsOf = model.map(ForecastService.ModelFigures::asOf).orElse(null);
            String adjustmentId = "ADJ-" + UUID.randomUUID();
            Instant now = clock.instant();
            long basis = store.dataVersion();
            long version = store.write("forecast:adjust", List.of("forecast_adjustment"), handle -> insert(handle, adjustmentId, target, request,
                    modelProbability, modelAmount, modelAsOf, previous, basis, now));
            ForecastAdjustment recorded = store.jdbi().withHandle(handle -> read(handle, "a.adjustment_id = :id", adjustmentId)).get(0);
            events.publish(new ForecastAdjustmentEvent(recorded, version, now));
            return recorded;
        }
    }

    /** Every adjustment of a customer's lines, newest first; NOT_FOUND for a customer that does not exist, as for its forecast. */
    List<ForecastAdjustment> list(String customerId) {
        requireNonNull(customerId, "customerId is null");
        return store.jdbi().withHandle(handle -> {
            boolean known = handle.createQuery("SELECT count(*) > 0 FROM dim_customer WHERE customer_id = :id").bind("id", customerId).mapTo(Boolean.class).one();
            if (!known) {
                throw new FinhubException(ErrorCode.NOT_FOUND, "no customer " + customerId);
            }
            return read(handle, "a.customer_id = :id", customerId);
        });
    }

    private static void validate(AdjustmentRequest request) {
        if (request.contractId().isPresent() == request.opportunityId().isPresent()) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "name exactly one forecast line: a contractId (its renewal) or an opportunityId");
        }
        if (request.reason().isBlank()) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "an adjustment needs a reason");
        }
        if (request.adjustedBy().isBlank()) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "adjustedBy names who adjusts; it must not be blank");
        }
        if (request.evidence().isEmpty() || request.evidence().stream().anyMatch(evidence -> evidence.kind().isBlank() || evidence.reference().isBlank())) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "an adjustment needs evidence, each piece with a kind and a reference");
        }
        if (request.clear()) {
            if (request.probability().isPresent() || request.amount().isPresent()) {
                throw new FinhubException(ErrorCode.BAD_REQUEST, "clear withdraws the current adjustment; give no probability or amount with it");
            }
            return;
        }
        if (request.probability().isEmpty() && request.amount().isEmpty()) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "an adjustment sets a probability, an amount or both (or clears the current one)");
        }
        request.probability().ifPresent(probability -> {
            if (probability.signum() < 0 || probability.compareTo(BigDecimal.ONE) > 0 || probability.stripTrailingZeros().scale() > 4) {
                throw new FinhubException(ErrorCode.BAD_REQUEST, "probability must be between 0 and 1 with at most 4 decimals, was " + probability.toPlainString());
            }
        });
        request.amount().ifPresent(amount -> {
            if (amount.signum() < 0 || amount.stripTrailingZeros().scale() > 2) {
                throw new FinhubException(ErrorCode.BAD_REQUEST, "amount must be a non-negative amount with at most 2 decimals, was " + amount.toPlainString());
            }
        });
    }

    private static Target target(Handle handle, AdjustmentRequest request) {
        if (request.contractId().isPresent()) {
            String contractId = request.contractId().get();
            String customerId = handle.createQuery("SELECT customer_id FROM dim_contract WHERE contract_id = :id")
                    .bind("id", contractId)
                    .mapTo(String.class)
                    .findOne()
                    .orElseThrow(() -> new FinhubException(ErrorCode.NOT_FOUND, "no contract " + contractId));
            return new Target(AdjustmentTarget.RENEWAL, contractId, customerId);
        }
        String opportunityId = request.opportunityId().orElseThrow();
        return handle.createQuery("SELECT kind, contract_id, customer_id FROM fact_renewal_pipeline WHERE opportunity_id = :id LIMIT 1")
                .bind("id", opportunityId)
                .map((row, context) -> {
                    if (row.getString("kind").equals("RENEWAL")) {
                        String contractId = row.getString("contract_id");
                        if (contractId == null) {
                            throw new FinhubException(ErrorCode.BAD_REQUEST, "renewal opportunity " + opportunityId + " names no contract; adjust the contract");
                        }
                        return new Target(AdjustmentTarget.RENEWAL, contractId, row.getString("customer_id"));
                    }
                    return new Target(AdjustmentTarget.EXPANSION, opportunityId, row.getString("customer_id"));
                })
                .findOne()
                .orElseThrow(() -> new FinhubException(ErrorCode.NOT_FOUND, "no opportunity " + opportunityId));
    }

    private void insert(Handle handle, String adjustmentId, Target target, AdjustmentRequest request, BigDecimal modelProbability,
            BigDecimal modelAmount, LocalDate modelAsOf, Optional<String> previous, long basis, Instant now) {
        handle.createUpdate("""
                        INSERT INTO forecast_adjustment VALUES (:id, :kind, :target, :customer, :probability, :amount, :cleared, :model_probability,
                            :model_amount, :model_as_of, :currency, :reason, :adjusted_by, :supersedes, :basis, :at)""")
                .bind("id", adjustmentId)
                .bind("kind", target.kind().name())
                .bind("target", target.targetId())
                .bind("customer", target.customerId())
                .bind("probability", request.probability().map(probability -> probability.setScale(4)).orElse(null))
                .bind("amount", request.amount().map(amount -> amount.setScale(2)).orElse(null))
                .bind("cleared", request.clear())
                .bind("model_probability", modelProbability)
                .bind("model_amount", modelAmount)
                .bind("model_as_of", modelAsOf)
                .bind("currency", store.config().reportingCurrency())
                .bind("reason", request.reason())
                .bind("adjusted_by", request.adjustedBy())
                .bind("supersedes", previous.orElse(null))
                .bind("basis", basis)
                .bind("at", LocalDateTime.ofInstant(now, ZoneOffset.UTC))
                .execute();
        int number = 0;
        for (Evidence evidence : request.evidence()) {
            handle.createUpdate("INSERT INTO forecast_adjustment_evidence VALUES (:id, :number, :kind, :reference, :description)")
                    .bind("id", adjustmentId)
                    .bind("number", ++number)
                    .bind("kind", evidence.kind())
                    .bind("reference", evidence.reference())
                    .bind("description", evidence.description())
                    .execute();
        }
    }

    private static List<ForecastAdjustment> read(Handle handle, String condition, String value) {
        List<ForecastAdjustment> adjustments = handle.createQuery("""
                        WITH RECURSIVE chain (adjustment_id, depth) AS (
                            SELECT adjustment_id, 0 FROM forecast_adjustment WHERE supersedes_id IS NULL
                            UNION ALL
                            SELECT a.adjustment_id, c.depth + 1 FROM forecast_adjustment a JOIN chain c ON a.supersedes_id = c.adjustment_id
                        )
                        SELECT a.* FROM forecast_adjustment a JOIN chain c ON c.adjustment_id = a.adjustment_id
                        WHERE\s""" + condition + " ORDER BY a.adjusted_at DESC, c.depth DESC, a.adjustment_id")
                .bind("id", value)
                .map((row, context) -> {
                    BigDecimal adjustedProbability = row.getBigDecimal("adjusted_probability");
                    BigDecimal adjustedAmount = row.getBigDecimal("adjusted_amount");
                    BigDecimal modelProbability = row.getBigDecimal("model_probability");
                    BigDecimal modelAmount = row.getBigDecimal("model_amount");
                    boolean cleared = row.getBoolean("cleared");
                    BigDecimal effectiveProbability = cleared || adjustedProbability == null ? modelProbability : adjustedProbability;
                    BigDecimal effectiveAmount = cleared || adjustedAmount == null ? modelAmount : adjustedAmount;
                    return new ForecastAdjustment(row.getString("adjustment_id"), AdjustmentTarget.valueOf(row.getString("target_kind")),
                            row.getString("target_id"), row.getString("customer_id"), adjustedProbability, adjustedAmount, cleared, modelProbability,
                            modelAmount, modelProbability == null || modelAmount == null ? null : ForecastService.expected(modelAmount, modelProbability),
                            effectiveProbability == null || effectiveAmount == null ? null : ForecastService.expected(effectiveAmount, effectiveProbability),
                            row.getObject("model_as_of", LocalDate.class), row.getString("reporting_currency"), row.getString("reason"),
                            row.getString("adjusted_by"), row.getString("supersedes_id"), row.getLong("basis_data_version"),
                            row.getObject("adjusted_at", LocalDateTime.class).toInstant(ZoneOffset.UTC), List.of());
                })
                .list();
        return adjustments.stream().map(adjustment -> withEvidence(handle, adjustment)).toList();
    }

    private static ForecastAdjustment withEvidence(Handle handle, ForecastAdjustment a) {
        List<Evidence> evidence = handle.createQuery("SELECT kind, reference, description FROM forecast_adjustment_evidence WHERE adjustment_id = :id ORDER BY evidence_no")
                .bind("id", a.adjustmentId())
                .map((row, context) -> new Evidence(row.getString("kind"), row.getString("reference"), row.getString("description")))
                .list();
        return new ForecastAdjustment(a.adjustmentId(), a.targetKind(), a.targetId(), a.customerId(), a.adjustedProbability(), a.adjustedAmount(),
                a.cleared(), a.modelProbability(), a.modelAmount(), a.modelExpected(), a.adjustedExpected(), a.modelAsOf(), a.currency(), a.reason(),
                a.adjustedBy(), a.supersedesId(), a.basisDataVersion(), a.adjustedAt(), evidence);
    }
}
