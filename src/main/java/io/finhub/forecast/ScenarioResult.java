package io.finhub.forecast;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;

/** A scenario's forecast next to the base forecast: the expected totals and their change. */
public record ScenarioResult(ForecastScenario scenario, BigDecimal modelRenewalArr, BigDecimal modelTotal, BigDecimal adjustedTotal,
        BigDecimal modelTotalChange, BigDecimal adjustedTotalChange) {
    public ScenarioResult {
        requireNonNull(scenario, "scenario is null");
    }
}
