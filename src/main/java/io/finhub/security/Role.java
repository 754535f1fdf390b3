package io.finhub.security;

import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Who the caller is in the company, which decides the department rows it sees. Executive, finance,
 * analyst and admin see every department; a functional role sees the departments of its function
 * ({@code dim_department.function_area}) unless the token names its departments.
 */
public enum Role {
    EXECUTIVE(Optional.empty()),
    FINANCE(Optional.empty()),
    MARKETING(Optional.of("MARKETING")),
    SALES(Optional.of("SALES")),
    PRODUCT(Optional.of("PRODUCT")),
    CUSTOMER_SUCCESS(Optional.of("CUSTOMER_SUCCESS")),
    ANALYST(Optional.empty()),
    ADMIN(Optional.empty());

    private final Optional<String> functionArea;

    Role(Optional<String> functionArea) {
        this.functionArea = functionArea;
    }

    /** The function whose departments a functional role sees; empty for the roles that see every department. */
    public Optional<String> functionArea() {
        return functionArea;
    }

    /** The name in a token's {@code roles} claim: {@code marketing}, {@code customer_success}, ... */
    public String claim() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String claim) {
        for (Role role : values()) {
            if (role.claim().equalsIgnoreCase(claim) || role.claim().replace('_', ' ').equalsIgnoreCase(claim)) {
                return role;
            }
        }
        throw new FinhubException(ErrorCode.BAD_REQUEST, "unknown role '%s'; roles are: %s".formatted(claim,
                Arrays.stream(values()).map(Role::claim).collect(Collectors.joining(", "))));
    }
}
