package io.finhub.forecast;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A {@code forecast_adjustment} event of kind {@code HEALTH_TREND}: the health signals of an open
 * renewal in the current forecast moved (its customer's health score, or the score's change over the
 * 90 days before the forecast's day), with the renewal's model figures before and after. Health
 * scores are the scores as imported (whole points, 0 to 100, shown to 2 places); probabilities and amounts are the forecast line's (4 decimals,
 * the reporting currency), the expected values amount x probability rounded to the cent.
 *
 * @param previousHealthScore the score the last signal (or the first comparison) saw; null when there was none
 * @param previousModelProbability null when the line had no probability then
 * @param dataVersion the data version of the facts the forecast now stands on
 */
public record HealthTrendSignal(String contractId, String customerId, LocalDate renewalDate, BigDecimal healthScore, BigDecimal previousHealthScore,
        BigDecimal healthTrend, BigDecimal previousHealthTrend, BigDecimal amount, BigDecimal modelProbability, BigDecimal previousModelProbability,
        BigDecimal modelExpected, BigDecimal previousModelExpected, String currency, long dataVersion, Instant occurredAt) implements ForecastEvent {
    public HealthTrendSignal {
        requireNonNull(contractId, "contractId is null");
        requireNonNull(customerId, "customerId is null");
        requireNonNull(renewalDate, "renewalDate is null");
        requireNonNull(currency, "currency is null");
        requireNonNull(occurredAt, "occurredAt is null");
    }

    @Override
    public String kind() {
        return "HEALTH_TREND";
    }
}
