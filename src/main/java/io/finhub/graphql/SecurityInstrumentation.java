package io.finhub.graphql;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.execution.ExecutionStepInfo;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import io.finhub.audit.AuditLog;
import io.finhub.audit.AuditRedaction;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.security.Caller;
import io.finhub.security.Scope;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Field-level security and the audit of mutations, for every transport (HTTP, WebSocket, the REST
 * routes that run GraphQL), as the root fields are fetched:
 *
 * <ul>
 *   <li>{@code audit*} fields need the {@code admin} scope;
 *   <li>a caller restricted to some departments may use only the root fields whose rows are
 *       restricted to its departments (or hold no department rows): {@link #DEPARTMENT_SAFE_QUERIES}.
 *       Everything else, including every mutation and every new field until it is reviewed and
 *       added here, is FORBIDDEN to it, rather than shown with other departments' rows;
 *   <li>every mutation is appended to the audit log with its caller, arguments and outcome; secrets
 *       among the arguments (a webhook's HMAC key, ...) are {@linkplain AuditRedaction redacted} first,
 *       since an entry of the hash chain can never be scrubbed afterwards.
 * </ul>
 */
public final class SecurityInstrumentation extends SimplePerformantInstrumentation {
    /**
     * Query fields safe for a department-scoped caller: answered through the catalog (whose planner
     * restricts department-keyed facts), or over data that has no department (deals, revenue,
     * subscriptions, contracts), or filtered per caller (alerts; attribution and attributionJourney,
     * to the credits and touches of the caller's departments' campaigns).
     */
    static final Set<String> DEPARTMENT_SAFE_QUERIES = Set.of("metrics", "catalog", "dataVersion", "budgetVariance", "budgetVarianceForecast", "roi",
            "attribution", "attributionJourney", "mrrMovements", "retention", "recognizedRevenue", "realization", "realizationSummary",
            "realizationCertifications", "portfolioForecast", "forecast", "renewalModel", "forecastAdjustments", "alerts", "alertRules", "alertRule", "me",
            "__typename", "__schema", "__type");
    /** Subscription fields safe for a department-scoped caller: alerts, filtered to its departments. */
    static final Set<String> DEPARTMENT_SAFE_SUBSCRIPTIONS = Set.of("alerts");

    private final AuditLog audit;
    private final ObjectMapper mapper;

    public SecurityInstrumentation(AuditLog audit, ObjectMapper mapper) {
        this.audit = requireNonNull(audit, "audit is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    @Override
    public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> dataFetcher, InstrumentationFieldFetchParameters parameters, InstrumentationState state) {
        // The step, not parameters.getEnvironment(): that builds a DataFetchingEnvironment for every
        // field, which graphql-java otherwise skips for the trivial fetchers of every row's fields.
        ExecutionStepInfo step = parameters.getExecutionStepInfo();
        if (step.getPath().getLevel() != 1) {
            return dataFetcher;
        }
        String field = step.getFieldDefinition().getName();
        String operation = step.getObjectType().getName();
        return fetching -> {
            Caller caller = Caller.current();
            authorize(caller, operation, field);
            if (!operation.equals("Mutation")) {
                return dataFetcher.get(fetching);
            }
            return audited(caller, field, dataFetcher, fetching);
        };
    }

    private static void authorize(Caller caller, String operation, String field) {
        // The edges check the operation's scope before executing; this checks it again on the field that runs,
        // whatever the edge made of the request (an empty operationName once read as a query there).
        Scope needed = switch (operation) {
            case "Mutation" -> Scope.FINANCIAL_DATA_WRITE;
            case "Subscription" -> Scope.ALERTS_SUBSCRIBE;
            default -> Scope.FINANCIAL_DATA_READ;
        };
        if (!caller.has(needed)) {
            throw new FinhubException(ErrorCode.FORBIDDEN, "%s %s needs the scope %s".formatted(operation.toLowerCase(java.util.Locale.ROOT), field, needed.claim()));
        }
        if (field.startsWith("audit") && !caller.has(Scope.ADMIN)) {
            throw new FinhubException(ErrorCode.FORBIDDEN, "%s needs the scope admin".formatted(field));
        }
        if (!caller.departments().restricted()) {
            return;
        }
        boolean safe = switch (operation) {
            case "Query" -> DEPARTMENT_SAFE_QUERIES.contains(field);
            case "Subscription" -> DEPARTMENT_SAFE_SUBSCRIPTIONS.contains(field);
            default -> false;
        };
        if (!safe) {
            throw new FinhubException(ErrorCode.FORBIDDEN, ("%s %s is not restricted to departments, so a caller who sees only some departments may not use it")
                    .formatted(operation.toLowerCase(java.util.Locale.ROOT), field));
        }
    }

    private Object audited(Caller caller, String field, DataFetcher<?> dataFetcher, DataFetchingEnvironment environment) throws Exception {
        Object result;
        try {
            result = dataFetcher.get(environment);
        }
        catch (Exception e) {
            record(caller, field, environment, outcome(e));
            throw e;
        }
        if (result instanceof CompletionStage<?> stage) {
            return stage.whenComplete((value, failure) -> record(caller, field, environment, failure == null ? "ok" : outcome(failure)));
        }
        record(caller, field, environment, "ok");
        return result;
    }

    private static String outcome(Throwable failure) {
        return failure instanceof FinhubException finhub ? "failed: " + finhub.code().name() : "failed: INTERNAL";
    }

    private void record(Caller caller, String field, DataFetchingEnvironment environment, String outcome) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("arguments", AuditRedaction.redact(environment.getArguments()));
        detail.put("outcome", outcome);
        audit.append(caller.subject(), "graphql.mutation", field, json(detail));
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        }
        catch (JsonProcessingException e) {
            return "{\"unserializable\":true}";
        }
    }
}
