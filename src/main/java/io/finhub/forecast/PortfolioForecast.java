package io.finhub.forecast;

import java.time.LocalDate;
import java.util.List;

/**
 * The renewal and expansion forecast of the whole portfolio from {@code asOf} to {@code horizonEnd}.
 *
 * @param model the renewal model the probabilities come from; null when there was too little history
 */
public record PortfolioForecast(LocalDate asOf, LocalDate horizonEnd, String currency, long dataVersion, RenewalModelSummary model,
        ForecastFigures total, List<ForecastGroup> byQuarter, List<ForecastGroup> bySegment, List<ForecastGroup> bySegmentAndQuarter,
        List<ScenarioResult> scenarios) {
    public PortfolioForecast {
        byQuarter = List.copyOf(byQuarter);
        bySegment = List.copyOf(bySegment);
        bySegmentAndQuarter = List.copyOf(bySegmentAndQuarter);
        scenarios = List.copyOf(scenarios);
    }
}
