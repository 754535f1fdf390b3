package io.finhub.forecast;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An event of the {@code forecast_adjustment} topic: an adjustment recorded by customer success, or a
 * health trend signal that moved a renewal. Its {@code kind} tells subscribers which.
 */
public sealed interface ForecastEvent permits ForecastAdjustmentEvent, HealthTrendSignal {
    /** The topic the alerts feature publishes these events on. */
    String EVENT_NAME = "forecast_adjustment";

    /** {@code ADJUSTMENT} or {@code HEALTH_TREND}. */
    @JsonProperty("kind")
    String kind();

    /** The data version the event describes. */
    long dataVersion();
}
