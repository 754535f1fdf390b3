package io.finhub.forecast;

import static java.util.Objects.requireNonNull;

import io.finhub.store.Store;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health trend signals of the {@code forecast_adjustment} topic: after each change of the facts,
 * the open renewals of the current forecast are compared with the last comparison, and each renewal
 * whose customer's health score or 90-day health trend moved is published with its model figures
 * before and after ({@link HealthTrendSignal}). What was compared is kept in
 * {@code forecast_signal_state}, so a restarted server compares with what it saw before it stopped.
 * The server compares on its background-build thread once the derived tables are rebuilt after a
 * change (and once when it starts), so the comparison never competes with the builds or the alert rules.
 * The first comparison on a store only remembers. A renewal new to the forecast is no signal.
 */
final class ForecastHealthSignals {
    private static final Logger LOG = LoggerFactory.getLogger(ForecastHealthSignals.class);

    private final Store store;
    private final Clock clock;
    private final ForecastEvents events;
    private final ForecastService forecasts;
    private final Object comparing = new Object();

    ForecastHealthSignals(Store store, Clock clock, ForecastEvents events, ForecastService forecasts) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.events = requireNonNull(events, "events is null");
        this.forecasts = requireNonNull(forecasts, "forecasts is null");
    }

    /** As {@link #publish()}, logging a failure instead of throwing it: for the background after each change. */
    void publishQuietly() {
        if (store.isClosed()) {
            return;
        }
        try {
            publish();
        }
        catch (RuntimeException e) {
            LOG.warn("health trend signals could not be computed; the next change compares again", e);
        }
    }

    /**
     * Compares the open renewals of the current forecast with the last comparison, publishes a signal
     * for each whose health moved and remembers the new figures; nothing when the forecast stands on
     * the facts compared last.
     *
     * @return the signals published
     */
    List<HealthTrendSignal> publish() {
        synchronized (comparing) {
            String currency = store.config().reportingCurrency();
            // Built outside the comparison's transaction, as every other builder does: a build inside it conflicted with a request's.
            long built = forecasts.refreshedFactsVersion();
            List<Long> compared = store.jdbi().withHandle(handle -> handle.createQuery(
                            "SELECT DISTINCT facts_version FROM forecast_signal_state WHERE currency_code = :currency")
                    .bind("currency", currency)
                    .mapTo(Long.class)
                    .list());
            if (compared.equals(List.of(built))) {
                return List.of();
            }
            List<HealthTrendSignal> signals = store.jdbi().inTransaction(handle -> {
                long factsVersion = forecasts.prepareCurrentLines(handle);
                handle.execute("""
                        CREATE OR REPLACE TEMP TABLE forecast_signal_now AS
                        SELECT l.contract_id, k.customer_id, l.end_date,
                               CAST(l.health_score AS DECIMAL(7, 2)) AS health_score, CAST(l.health_trend AS DECIMAL(7, 2)) AS health_trend,
                               CAST(l.amount_reporting AS DECIMAL(18, 2)) AS amount, l.model_probability
                        FROM forecast_renewal_line l JOIN dim_contract k ON k.contract_id = l.contract_id
                        WHERE l.status = 'OPEN'""");
                Instant now = clock.instant();
                List<HealthTrendSignal> found = compared.isEmpty() ? List.of() : handle.createQuery("""
                                SELECT n.contract_id, n.customer_id, n.end_date, n.health_score, s.health_score AS previous_health_score,
                                       n.health_trend, s.health_trend AS previous_health_trend, n.amount, n.model_probability,
                                       s.amount AS previous_amount, s.model_probability AS previous_probability
                                FROM forecast_signal_now n
                                JOIN forecast_signal_state s ON s.contract_id = n.contract_id AND s.currency_code = :currency
                                WHERE n.health_score IS DISTINCT FROM s.health_score OR n.health_trend IS DISTINCT FROM s.health_trend
                                ORDER BY n.end_date, n.contract_id""")
                        .bind("currency", currency)
                        .map((row, context) -> signal(row, currency, factsVersion, now))
                        .list();
                handle.createUpdate("DELETE FROM forecast_signal_state WHERE currency_code = :currency").bind("currency", currency).execute();
                handle.createUpdate("""
                                INSERT INTO forecast_signal_state
                                SELECT :currency, contract_id, health_score, health_trend, amount, model_probability, :version FROM forecast_signal_now""")
                        .bind("currency", currency)
                        .bind("version", factsVersion)
                        .execute();
                return found;
            });
            signals.forEach(events::publish);
            return signals;
        }
    }

    private static HealthTrendSignal signal(ResultSet row, String currency, long factsVersion, Instant now) throws SQLException {
        BigDecimal amount = row.getBigDecimal("amount");
        BigDecimal probability = row.getBigDecimal("model_probability");
        BigDecimal previousAmount = row.getBigDecimal("previous_amount");
        BigDecimal previousProbability = row.getBigDecimal("previous_probability");
        return new HealthTrendSignal(row.getString("contract_id"), row.getString("customer_id"), row.getObject("end_date", LocalDate.class),
                row.getBigDecimal("health_score"), row.getBigDecimal("previous_health_score"), row.getBigDecimal("health_trend"),
                row.getBigDecimal("previous_health_trend"),
                amount, probability, previousProbability, expected(amount, probability), expected(previousAmount, previousProbability), currency,
                factsVersion, now);
    }

    private static BigDecimal expected(BigDecimal amount, BigDecimal probability) {
        return amount == null || probability == null ? null : ForecastService.expected(amount, probability);
    }
}
