package io.finhub.odata;

import io.finhub.catalog.CurrencyConversion;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import java.util.Locale;
import java.util.UUID;
import org.apache.olingo.commons.api.http.HttpStatusCode;
import org.apache.olingo.server.api.ODataApplicationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OData errors as FinHub reports them: a code and a message safe to show. Anything unexpected is
 * logged with an incident id and reported as INTERNAL without detail, never a stack trace or SQL.
 */
final class ODataErrors {
    private static final Logger LOG = LoggerFactory.getLogger(ODataErrors.class);

    private ODataErrors() {}

    /** A valid OData request FinHub does not answer; never answered approximately instead. */
    static ODataApplicationException notImplemented(String message) {
        return new ODataApplicationException(message, HttpStatusCode.NOT_IMPLEMENTED.getStatusCode(), Locale.ROOT, "NOT_IMPLEMENTED");
    }

    static ODataApplicationException badRequest(String message) {
        return new ODataApplicationException(message, HttpStatusCode.BAD_REQUEST.getStatusCode(), Locale.ROOT, ErrorCode.BAD_REQUEST.name());
    }

    static ODataApplicationException of(ErrorCode code, String message) {
        return new ODataApplicationException(message, code.httpStatus(), Locale.ROOT, code.name());
    }

    /** A failure of the query behind a request: FinHub's own errors keep their code, the rest become an incident. */
    static ODataApplicationException of(RuntimeException failure) {
        FinhubException finhub = CurrencyConversion.translate(failure);
        if (finhub.code() != ErrorCode.INTERNAL) {
            return of(finhub.code(), finhub.getMessage());
        }
        return internal(failure);
    }

    static ODataApplicationException internal(Throwable failure) {
        String incident = UUID.randomUUID().toString();
        LOG.error("OData request failed, incident {}", incident, failure);
        return of(ErrorCode.INTERNAL, "internal error (incident " + incident + ")");
    }
}
