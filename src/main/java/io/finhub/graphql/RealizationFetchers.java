package io.finhub.graphql;

import static io.finhub.graphql.GraphqlArguments.enumValue;
import static io.finhub.graphql.GraphqlArguments.objects;
import static java.util.Objects.requireNonNull;

import graphql.schema.DataFetcher;
import graphql.schema.idl.RuntimeWiring;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.realization.Certification;
import io.finhub.realization.CertificationRequest;
import io.finhub.realization.ContractRealization;
import io.finhub.realization.Evidence;
import io.finhub.realization.KpiRealization;
import io.finhub.realization.RealizationCheckpoint;
import io.finhub.realization.RealizationGrouping;
import io.finhub.realization.RealizationService;
import io.finhub.realization.RealizationSummary;
import io.finhub.realization.RealizationSummaryRequest;
import io.finhub.store.FiscalCalendar;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code realization}, {@code realizationSummary}, {@code realizationCertifications} and {@code certify}: parse, call, return. */
public final class RealizationFetchers implements GraphqlModule {
    private final RealizationService realization;
    private final FiscalCalendar calendar;

    public RealizationFetchers(RealizationService realization, FiscalCalendar calendar) {
        this.realization = requireNonNull(realization, "realization is null");
        this.calendar = requireNonNull(calendar, "calendar is null");
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Query", type -> type
                .dataFetcher("realization", environment -> realization.realization(environment.getArgument("contractId"),
                        Optional.ofNullable(environment.getArgument("asOf"))))
                .dataFetcher("realizationSummary", summary())
                .dataFetcher("realizationCertifications", environment -> realization.certifications(environment.getArgument("contractId"))));
        wiring.type("Mutation", type -> type.dataFetcher("certify", environment -> realization.certify(certification(environment.getArgument("input")))));
        wiring.type("ContractRealization", type -> type
                .dataFetcher("projectedRoiPct", environment -> percent(environment.<ContractRealization>getSource().projectedRoiAtEnd())));
        wiring.type("RealizationCheckpoint", type -> type
                .dataFetcher("realizationPct", environment -> percent(environment.<RealizationCheckpoint>getSource().realizationRate()))
                .dataFetcher("roiPct", environment -> percent(environment.<RealizationCheckpoint>getSource().roi())));
        wiring.type("KpiRealization", type -> type
                .dataFetcher("realizationPct", environment -> percent(environment.<KpiRealization>getSource().realizationRate())));
        wiring.type("RealizationCertification", type -> type
                .dataFetcher("realizationPct", environment -> percent(environment.<Certification>getSource().realizationRate()))
                .dataFetcher("roiPct", environment -> percent(environment.<Certification>getSource().roi()))
                .dataFetcher("certifiedAt", environment -> utc(environment.<Certification>getSource().certifiedAt())));
    }

    private DataFetcher<RealizationSummary> summary() {
        return environment -> {
            Map<String, Object> period = environment.getArgument("period");
            LocalDate[] range = CatalogFetchers.range(period == null ? Map.of() : period, calendar);
            Boolean atRiskOnly = environment.getArgument("atRiskOnly");
            Integer limit = environment.getArgument("limit");
            Integer offset = environment.getArgument("offset");
            return realization.summary(new RealizationSummaryRequest(
                    enumValue(RealizationGrouping.class, environment.getArgument("groupBy"), "realization grouping"),
                    Optional.ofNullable(range[0]), Optional.ofNullable(range[1]), Boolean.TRUE.equals(atRiskOnly), limit == null ? 1000 : limit,
                    offset == null ? 0 : offset));
        };
    }

    static CertificationRequest certification(Map<String, Object> input) {
        return new CertificationRequest(required(input, "contractId"), integer(input, "fiscalYear"), integer(input, "fiscalQuarter"),
                required(input, "certifiedBy"), evidence(input.get("evidence")), Optional.ofNullable((String) input.get("supersedes")),
                Optional.ofNullable((String) input.get("reason")), Optional.ofNullable((String) input.get("note")));
    }

    static List<Evidence> evidence(Object value) {
        return objects(value).stream()
                .map(item -> new Evidence(required(item, "kind"), required(item, "reference"), (String) item.get("description")))
                .toList();
    }

    static String required(Map<String, Object> input, String field) {
        Object value = input.get(field);
        if (!(value instanceof String text)) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, field + " is required");
        }
        return text;
    }

    private static int integer(Map<String, Object> input, String field) {
        Object value = input.get(field);
        if (!(value instanceof Number number)) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, field + " is required");
        }
        return number.intValue();
    }

    /** A fraction as a percentage: 0.972699 → 97.2699 (exact, one shift of the decimal point). */
    static BigDecimal percent(BigDecimal fraction) {
        return fraction == null ? null : fraction.movePointRight(2);
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
