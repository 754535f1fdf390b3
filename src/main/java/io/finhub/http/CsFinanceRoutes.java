package io.finhub.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.ExecutionResult;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.graphql.GraphqlEngine;
import io.finhub.graphql.GraphqlRequest;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Value realization and forecasting as plain REST, for callers without a GraphQL client. Each route
 * runs one fixed GraphQL operation through the same engine and answers its result object, so the
 * REST and GraphQL answers are the same fields computed by the same code:
 * <ul>
 *   <li>{@code GET /api/v1/cs-finance/realization/{contractId}[?asOf=YYYY-MM-DD]} → {@code realization}</li>
 *   <li>{@code POST /api/v1/cs-finance/certify} with a {@code CertificationInput} body → {@code certify} (201)</li>
 *   <li>{@code GET /api/v1/cs-finance/forecast/{customerId}[?asOf=&horizonQuarters=]} → {@code forecast}</li>
 *   <li>{@code POST /api/v1/cs-finance/adjust} with a {@code ForecastAdjustmentInput} body → {@code adjustForecast} (201)</li>
 *   <li>{@code GET /api/v1/cs-finance/backtest} → {@code forecastBacktest}</li>
 * </ul>
 * A failure is the operation's error code mapped to its HTTP status, like every other route.
 */
public final class CsFinanceRoutes implements HttpModule {
    private static final ObjectMapper BODY = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final String EVIDENCE = "evidence { kind reference description }";
    private static final String KPI = "commitmentId kpi unit pointInTime target periodStart periodEnd measuredOn delivered due realizationPct milestonesMet "
            + "milestonesDue status";
    private static final String CHECKPOINT = "asOf quarterLabel commitments measuredCommitments realizationPct status atRisk milestonesMet milestonesDue "
            + "utilizationMeasuredOn seatsUsed seatsLicensed utilizationPct featureAdoptionPct unusedLicenseValue valueToDate valuedOn paidToDate roiPct "
            + "projectedValueAtEnd";
    private static final String CERTIFICATION = "certificationId contractId customerId fiscalYear fiscalQuarter quarterLabel quarterStart quarterEnd "
            + "measuredAsOf revision supersedesId supersededById current realizationPct status milestonesMet milestonesDue valueToDate paidToDate roiPct "
            + "currency certifiedBy reason note basisDataVersion certifiedAt commitments { " + KPI + " } " + EVIDENCE;
    private static final String REALIZATION = """
            query Realization($contractId: ID!, $asOf: Date) {
              realization(contractId: $contractId, asOf: $asOf) {
                contractId customerId customerName segment productId startDate endDate licensedSeats committedValue currency asOf
                current { %s } commitments { %s } trajectory { %s } projectedValueAtEnd projectedRoiPct certifications { %s } dataVersion
              }
            }""".formatted(CHECKPOINT, KPI, CHECKPOINT, CERTIFICATION);
    private static final String CERTIFY = "mutation Certify($input: CertificationInput!) { certify(input: $input) { %s } }".formatted(CERTIFICATION);
    private static final String RANGE = "p10 p50 p90 method uncertainOutcomes";
    private static final String FIGURES = ("renewals openRenewals expansions adjustedLines arrUpForRenewal expansionPipeline modelRenewalArr adjustedRenewalArr "
            + "modelExpansionArr adjustedExpansionArr modelTotal adjustedTotal modelRenewalRange { %1$s } adjustedRenewalRange { %1$s } "
            + "modelTotalRange { %1$s } adjustedTotalRange { %1$s }").formatted(RANGE);
    private static final String FORECAST = """
            query Forecast($customerId: ID!, $asOf: Date, $horizonQuarters: Int) {
              forecast(customerId: $customerId, asOf: $asOf, horizonQuarters: $horizonQuarters) {
                customerId customerName segment asOf horizonEnd currency dataVersion
                total { %1$s }
                byQuarter { segment quarterStart quarterLabel figures { %1$s } }
                renewals { contractId customerId customerName segment productId endDate quarterLabel opportunityId status amount probabilitySource
                           modelProbability modelExpected adjustmentId adjustedProbability adjustedAmount adjustedExpected healthScore
                           factors { factor description value average coefficient contribution } }
                expansions { opportunityId customerId customerName segment contractId stage expectedClose quarterLabel alignedToRenewal amount
                             stageProbability renewalProbability modelProbability modelExpected adjustmentId adjustedProbability adjustedAmount
                             adjustedExpected }
                scenarios { name healthShift churnShock segment modelRenewalArr modelTotal adjustedTotal modelTotalChange adjustedTotalChange }
              }
            }""".formatted(FIGURES);
    private static final String ADJUSTMENT = "adjustmentId targetKind targetId customerId adjustedProbability adjustedAmount cleared modelProbability "
            + "modelAmount modelExpected adjustedExpected modelAsOf currency reason adjustedBy supersedesId basisDataVersion adjustedAt " + EVIDENCE;
    private static final String ADJUST = "mutation Adjust($input: ForecastAdjustmentInput!) { adjustForecast(input: $input) { %s } }".formatted(ADJUSTMENT);
    private static final String ACCURACY = "forecasts mapePct wapePct withinFivePct";
    private static final String BUDGET_ACCURACY = "projectedActual { %s } meanAbsoluteVarianceError directionAccuracyPct".formatted(ACCURACY);
    private static final String BACKTEST = """
            query Backtest {
              forecastBacktest {
                computedAt factsVersion currency dataAsOf method
                renewals {
                  forecasts { quarterLabel quarterStart segment trainingCases renewals knownAtStart forecast actual errorPct withinFivePercent }
                  portfolioQuarters { %1$s } segmentQuarters { %1$s }
                  probabilities { predictions brierScore climatologyBrier accuracyPct baseRatePct rocAuc }
                  calibration { lower upper count meanPredicted observedRate }
                }
                budget { forecasts forecast { %2$s } planRatio { %2$s } runRate { %2$s } }
              }
            }""".formatted(ACCURACY, BUDGET_ACCURACY);

    private final GraphqlEngine engine;

    public CsFinanceRoutes(GraphqlEngine engine) {
        this.engine = requireNonNull(engine, "engine is null");
    }

    @Override
    public void routes(Javalin app) {
        app.get("/api/v1/cs-finance/realization/{contractId}", context -> answer(context, HttpStatus.OK, REALIZATION, "realization",
                variables("contractId", context.pathParam("contractId"), "asOf", context.queryParam("asOf"))));
        app.post("/api/v1/cs-finance/certify", context -> answer(context, HttpStatus.CREATED, CERTIFY, "certify", Map.of("input", body(context))));
        app.get("/api/v1/cs-finance/forecast/{customerId}", context -> answer(context, HttpStatus.OK, FORECAST, "forecast",
                variables("customerId", context.pathParam("customerId"), "asOf", context.queryParam("asOf"), "horizonQuarters",
                        integer(context.queryParam("horizonQuarters")))));
        app.post("/api/v1/cs-finance/adjust", context -> answer(context, HttpStatus.CREATED, ADJUST, "adjustForecast", Map.of("input", body(context))));
        app.get("/api/v1/cs-finance/backtest", context -> answer(context, HttpStatus.OK, BACKTEST, "forecastBacktest", Map.of()));
    }

    private void answer(Context context, HttpStatus status, String document, String field, Map<String, Object> variables) {
        ExecutionResult result = engine.execute(new GraphqlRequest(document, null, variables, null));
        Map<String, Object> response = GraphqlEngine.specification(result);
        if (response.get("errors") instanceof List<?> errors && !errors.isEmpty()) {
            throw failure((Map<?, ?>) errors.get(0));
        }
        Map<?, ?> data = (Map<?, ?>) response.get("data");
        context.status(status).json(data.get(field));
    }

    private static FinhubException failure(Map<?, ?> error) {
        Object code = error.get("extensions") instanceof Map<?, ?> extensions ? extensions.get("code") : null;
        ErrorCode errorCode;
        try {
            errorCode = ErrorCode.valueOf(String.valueOf(code));
        }
        catch (IllegalArgumentException e) {
            errorCode = ErrorCode.BAD_REQUEST;
        }
        return new FinhubException(errorCode, String.valueOf(error.get("message")));
    }

    private static Object body(Context context) {
        try {
            Object body = BODY.readValue(context.body(), Object.class);
            if (!(body instanceof Map)) {
                throw new FinhubException(ErrorCode.BAD_REQUEST, "the request body must be a JSON object");
            }
            return body;
        }
        catch (JsonProcessingException e) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "the request body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static Integer integer(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        }
        catch (NumberFormatException e) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "'" + value + "' is not a whole number");
        }
    }

    private static Map<String, Object> variables(Object... namesAndValues) {
        Map<String, Object> variables = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                variables.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return variables;
    }
}
