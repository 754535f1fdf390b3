package io.finhub.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.finhub.TestStores;
import io.finhub.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Health trend signals on the {@code forecast_company} fixture (the data runs to 2025-12-31; no model,
 * so A-1 renews at its CRM probability 60 % of 10,000.00 and C-1 at the observed rate 50 % of 6,000.00,
 * both customer a1, scored 72 on 2025-12-01; B-1 of b2 at 50 % of 22,000.00, scored 55). The 90-day
 * trend is the score on the day against the score 90 days before it (2025-10-02), which neither has yet.
 */
class ForecastHealthSignalsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T08:00:00Z"), ZoneOffset.UTC);

    @Test
    void a_moved_health_score_or_trend_is_published_with_the_renewals_it_moves() {
        try (Store store = TestStores.withFixture("forecast_company")) {
            ForecastEvents events = new ForecastEvents();
            List<ForecastEvent> published = new CopyOnWriteArrayList<>();
            events.subscribe(published::add);
            ForecastService forecasts = new ForecastService(store, CLOCK, events);

            assertThat(forecasts.publishHealthSignals()).as("the first comparison only remembers").isEmpty();

            // a1 scored 40 on 2025-12-20: its two open renewals move; b2's does not.
            store.write("test", List.of("fact_health_score"), handle -> handle.execute(
                    "INSERT INTO fact_health_score VALUES ('a1', DATE '2025-12-20', 40, 'AT_RISK')"));
            List<HealthTrendSignal> scored = forecasts.publishHealthSignals();
            assertThat(scored).extracting(ForecastHealthSignalsTest::summary).containsExactly(
                    "A-1 a1 2026-02-28 health 72.00 -> 40.00 trend null -> null p 0.6000 -> 0.6000 expected 6000.00 -> 6000.00",
                    "C-1 a1 2026-11-30 health 72.00 -> 40.00 trend null -> null p 0.5000 -> 0.5000 expected 3000.00 -> 3000.00");
            assertThat(scored).allSatisfy(signal -> {
                assertThat(signal.currency()).isEqualTo("USD");
                assertThat(signal.amount()).isEqualByComparingTo(signal.contractId().equals("A-1") ? "10000.00" : "6000.00");
            });
            assertThat(published).containsExactlyElementsOf(scored);

            // A rate of a day no forecast reads: the facts moved, no health did.
            store.write("test", List.of("fact_fx_rate"), handle -> handle.execute("INSERT INTO fact_fx_rate VALUES (DATE '2024-01-02', 'EUR', 'USD', 1.09)"));
            assertThat(forecasts.publishHealthSignals()).isEmpty();
            // Nothing changed at all: nothing compared.
            assertThat(forecasts.publishHealthSignals()).isEmpty();

            // a1 scored 80 on 2025-09-01, within 90 days before 2025-10-02: the trend becomes 40 - 80 = -40.
            store.write("test", List.of("fact_health_score"), handle -> handle.execute(
                    "INSERT INTO fact_health_score VALUES ('a1', DATE '2025-09-01', 80, 'HEALTHY')"));
            assertThat(forecasts.publishHealthSignals()).extracting(ForecastHealthSignalsTest::summary).containsExactly(
                    "A-1 a1 2026-02-28 health 40.00 -> 40.00 trend null -> -40.00 p 0.6000 -> 0.6000 expected 6000.00 -> 6000.00",
                    "C-1 a1 2026-11-30 health 40.00 -> 40.00 trend null -> -40.00 p 0.5000 -> 0.5000 expected 3000.00 -> 3000.00");
            assertThat(published).hasSize(4);
        }
    }

    @Test
    void a_signal_says_its_kind_on_the_topic() {
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());
        HealthTrendSignal signal = new HealthTrendSignal("A-1", "a1", LocalDate.of(2026, 2, 28), new java.math.BigDecimal("40.00"), new java.math.BigDecimal("72.00"), null, null, new java.math.BigDecimal("10000.00"),
                new java.math.BigDecimal("0.6000"), new java.math.BigDecimal("0.6000"), new java.math.BigDecimal("6000.00"),
                new java.math.BigDecimal("6000.00"), "USD", 7, Instant.parse("2026-01-15T08:00:00Z"));

        Map<?, ?> payload = json.convertValue(signal, Map.class);

        assertThat(payload.get("kind")).isEqualTo("HEALTH_TREND");
        assertThat(payload.get("contractId")).isEqualTo("A-1");
        assertThat(payload.get("previousHealthScore")).isEqualTo(new java.math.BigDecimal("72.00"));
    }

    private static String summary(HealthTrendSignal signal) {
        return "%s %s %s health %s -> %s trend %s -> %s p %s -> %s expected %s -> %s".formatted(signal.contractId(), signal.customerId(), signal.renewalDate(),
                signal.previousHealthScore(), signal.healthScore(), signal.previousHealthTrend(), signal.healthTrend(), signal.previousModelProbability(),
                signal.modelProbability(), signal.previousModelExpected(), signal.modelExpected());
    }
}
