package io.finhub.forecast;

import java.time.LocalDate;
import java.util.List;

/** One customer's renewals and expansions from {@code asOf} to {@code horizonEnd}, line by line and by quarter. */
public record CustomerForecast(String customerId, String customerName, String segment, LocalDate asOf, LocalDate horizonEnd, String currency,
        long dataVersion, ForecastFigures total, List<ForecastGroup> byQuarter, List<RenewalLine> renewals, List<ExpansionLine> expansions,
        List<ScenarioResult> scenarios) {
    public CustomerForecast {
        byQuarter = List.copyOf(byQuarter);
        renewals = List.copyOf(renewals);
        expansions = List.copyOf(expansions);
        scenarios = List.copyOf(scenarios);
    }
}
