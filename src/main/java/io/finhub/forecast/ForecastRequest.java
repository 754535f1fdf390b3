package io.finhub.forecast;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * What to forecast: from {@code asOf} (default: the day the data runs to) over the rest of its
 * fiscal quarter and the next {@code horizonQuarters} (1..4), with scenarios (default: health ±10
 * points, and a 20 % churn shock in each segment).
 */
public record ForecastRequest(Optional<LocalDate> asOf, int horizonQuarters, Optional<List<ForecastScenario>> scenarios) {
    public ForecastRequest {
        requireNonNull(asOf, "asOf is null");
        requireNonNull(scenarios, "scenarios is null");
        scenarios = scenarios.map(List::copyOf);
    }

    public static ForecastRequest defaults() {
        return new ForecastRequest(Optional.empty(), ForecastService.MAX_HORIZON_QUARTERS, Optional.empty());
    }
}
