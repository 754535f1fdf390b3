package io.finhub.forecast;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;

/**
 * The forecast of the renewals (by the fiscal quarter of the contract end) and expansions (by the
 * quarter they land in) of one segment and/or quarter; null segment or quarter means all.
 */
public record ForecastGroup(String segment, LocalDate quarterStart, String quarterLabel, ForecastFigures figures) {
    public ForecastGroup {
        requireNonNull(figures, "figures is null");
    }
}
