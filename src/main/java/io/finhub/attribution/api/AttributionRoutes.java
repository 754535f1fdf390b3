package io.finhub.attribution.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finhub.attribution.AttributionCsService;
import io.finhub.attribution.AttributionPeriod;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.http.HttpModule;
import io.finhub.store.FiscalCalendar;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

/**
 * The CS-finance REST operations, thin routes over the same code as the GraphQL {@code attribute}
 * mutation and {@code portfolio} query: {@code POST /api/v1/cs-finance/attribute/{customerId}} with
 * a {@code CsOutcomeInput} JSON body (201 and the recorded outcome), and
 * {@code GET /api/v1/cs-finance/portfolio/{period}}. Errors are mapped by the server like any other.
 */
public final class AttributionRoutes implements HttpModule {
    /** Reads decimals as BigDecimal, so an amount keeps every digit the client sent. */
    private static final ObjectMapper BODY = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final AttributionCsService customerSuccess;
    private final FiscalCalendar calendar;

    public AttributionRoutes(AttributionCsService customerSuccess, FiscalCalendar calendar) {
        this.customerSuccess = requireNonNull(customerSuccess, "customerSuccess is null");
        this.calendar = requireNonNull(calendar, "calendar is null");
    }

    @Override
    public void routes(Javalin app) {
        app.post("/api/v1/cs-finance/attribute/{customerId}", this::attribute);
        app.get("/api/v1/cs-finance/portfolio/{period}", this::portfolio);
    }

    private void attribute(Context context) {
        Object body;
        try {
            body = BODY.readValue(context.body(), Object.class);
        }
        catch (JsonProcessingException e) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "the request body is not JSON: " + e.getOriginalMessage());
        }
        context.status(HttpStatus.CREATED).json(customerSuccess.record(context.pathParam("customerId"), AttributionInputs.outcome(body)));
    }

    private void portfolio(Context context) {
        context.json(customerSuccess.portfolio(AttributionPeriod.parse(context.pathParam("period"), calendar)));
    }
}
