package io.finhub.attribution;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code attribution_update} event: attribution results changed. Published after marketing
 * results were rebuilt for a new data version, and after a customer-success outcome was recorded.
 *
 * @param kind what changed
 * @param dataVersion the data version the new results are built on
 * @param models the marketing models rebuilt (empty for a customer-success change)
 * @param customerId the customer whose outcome was recorded, for {@link Kind#CUSTOMER_SUCCESS}
 */
public record AttributionUpdate(Kind kind, long dataVersion, List<AttributionModel> models, Optional<String> customerId, Instant at) {
    public static final String EVENT_NAME = "attribution_update";

    public AttributionUpdate {
        requireNonNull(kind, "kind is null");
        models = List.copyOf(requireNonNull(models, "models is null"));
        requireNonNull(customerId, "customerId is null");
        requireNonNull(at, "at is null");
    }

    public enum Kind {
        MARKETING,
        CUSTOMER_SUCCESS
    }
}
