package io.finhub.security;

import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** OAuth2 scopes a token grants: what kind of operation it may run. {@link #ADMIN} implies every other. */
public enum Scope {
    FINANCIAL_DATA_READ("financial_data.read"),
    FINANCIAL_DATA_WRITE("financial_data.write"),
    ALERTS_SUBSCRIBE("alerts.subscribe"),
    ADMIN("admin");

    private final String claim;

    Scope(String claim) {
        this.claim = claim;
    }

    /** The name in a token's {@code scope} claim, e.g. {@code financial_data.read}. */
    public String claim() {
        return claim;
    }

    public static Scope parse(String claim) {
        for (Scope scope : values()) {
            if (scope.claim.equals(claim)) {
                return scope;
            }
        }
        throw new FinhubException(ErrorCode.BAD_REQUEST, "unknown scope '%s'; scopes are: %s".formatted(claim,
                Arrays.stream(values()).map(Scope::claim).collect(Collectors.joining(", "))));
    }
}
