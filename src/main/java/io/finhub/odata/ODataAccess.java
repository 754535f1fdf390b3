package io.finhub.odata;

import static java.util.Objects.requireNonNull;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * Who may read the OData feed: the one place the feed checks access, before it parses or reads
 * anything. Power BI, Excel and Tableau all send HTTP Basic (an API token as the password) or a
 * bearer token; the security feature (issue 10) supplies the implementation that checks them with
 * the same rules as GraphQL. Until then the feed is open: {@link #unauthenticated()}.
 */
@FunctionalInterface
public interface ODataAccess {
    Decision check(HttpServletRequest request);

    /** Everyone may read everything: the feed as it is before authentication exists. */
    static ODataAccess unauthenticated() {
        return request -> Decision.allow();
    }

    /**
     * The outcome of a check. A denial carries the HTTP status (401 to ask for credentials, 403 when
     * they are not enough), a message for the client and, for 401, the {@code WWW-Authenticate}
     * challenge, e.g. {@code Basic realm="FinHub", charset="UTF-8"}.
     */
    record Decision(boolean allowed, int status, String message, Optional<String> challenge) {
        public Decision {
            requireNonNull(message, "message is null");
            requireNonNull(challenge, "challenge is null");
        }

        public static Decision allow() {
            return new Decision(true, 200, "", Optional.empty());
        }

        public static Decision unauthorized(String message, String challenge) {
            return new Decision(false, 401, message, Optional.of(challenge));
        }

        public static Decision forbidden(String message) {
            return new Decision(false, 403, message, Optional.empty());
        }
    }
}
