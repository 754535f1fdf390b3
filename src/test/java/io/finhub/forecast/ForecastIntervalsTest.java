package io.finhub.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.forecast.ForecastIntervals.Outcome;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the P10 / P50 / P90 ranges are built, on outcomes small enough to work out by hand. */
class ForecastIntervalsTest {
    private static Outcome outcome(String probability, String amount) {
        return new Outcome(new BigDecimal(probability), new BigDecimal(amount));
    }

    @Test
    void two_even_chances_enumerate_four_equally_likely_sums() {
        // 0, 100, 300 and 400, each with probability 1/4: cumulative 0.25, 0.5, 0.75, 1.
        ForecastRange range = ForecastIntervals.range(List.of(outcome("0.5", "100"), outcome("0.5", "300")), "k");

        assertThat(range.method()).isEqualTo(IntervalMethod.EXACT);
        assertThat(range.p10()).isEqualByComparingTo("0");
        assertThat(range.p50()).isEqualByComparingTo("100");
        assertThat(range.p90()).isEqualByComparingTo("400");
    }

    @Test
    void certain_outcomes_shift_the_range_and_impossible_ones_vanish() {
        // 200 for sure; 1 000 at 0.8 and 50 at 0.1: sums 0 (0.18), 50 (0.02), 1 000 (0.72), 1 050 (0.08) on top of 200.
        // Cumulative 0.18, 0.20, 0.92, 1: P10 = 200, P50 = 1 200, P90 = 1 200.
        ForecastRange range = ForecastIntervals.range(List.of(outcome("1", "200.00"), outcome("0.8", "1000.00"), outcome("0.1", "50.00"),
                outcome("0", "999.00")), "k");

        assertThat(range.uncertainOutcomes()).isEqualTo(2);
        assertThat(range.p10()).isEqualByComparingTo("200.00");
        assertThat(range.p50()).isEqualByComparingTo("1200.00");
        assertThat(range.p90()).isEqualByComparingTo("1200.00");
    }

    @Test
    void nothing_uncertain_is_certain() {
        ForecastRange range = ForecastIntervals.range(List.of(outcome("1", "10.50"), outcome("0", "3")), "k");

        assertThat(range.method()).isEqualTo(IntervalMethod.CERTAIN);
        assertThat(List.of(range.p10(), range.p50(), range.p90())).allSatisfy(value -> assertThat(value).isEqualByComparingTo("10.50"));
    }

    @Test
    void many_outcomes_use_the_normal_approximation_with_the_exact_moments() {
        // 600 outcomes of 10.00 at 0.5: mean 3 000.00, variance 600 x 0.25 x 100 = 15 000, sd 122.474...;
        // P10 = 3 000 - 1.2815516 x 122.474 = 2 843.04, P90 = 3 156.96.
        ForecastRange range = ForecastIntervals.range(Collections.nCopies(600, outcome("0.5", "10.00")), "k");
        double spread = 1.2815515655446004 * Math.sqrt(600 * 0.25 * 10.0 * 10.0);

        assertThat(range.method()).isEqualTo(IntervalMethod.NORMAL);
        assertThat(range.p50()).isEqualByComparingTo("3000.00");
        assertThat(range.p10()).isEqualByComparingTo(BigDecimal.valueOf(3000 - spread).setScale(2, RoundingMode.HALF_UP));
        assertThat(range.p90()).isEqualByComparingTo(BigDecimal.valueOf(3000 + spread).setScale(2, RoundingMode.HALF_UP));
    }

    @Test
    void simulation_is_repeatable_and_close_to_the_exact_binomial_percentiles() {
        // 100 outcomes of 1.00 at 0.3: the sum is Binomial(100, 0.3) dollars, whose 10th, 50th and 90th
        // percentiles are 24, 30 and 36 (cumulative binomial probabilities, computed below).
        List<Outcome> outcomes = Collections.nCopies(100, outcome("0.3", "1.00"));

        ForecastRange range = ForecastIntervals.range(outcomes, "group");

        assertThat(range.method()).isEqualTo(IntervalMethod.MONTE_CARLO);
        assertThat(ForecastIntervals.range(outcomes, "group")).isEqualTo(range);
        assertThat(range.p10().doubleValue()).isBetween(binomialPercentile(100, 0.3, 0.10) - 1.0, binomialPercentile(100, 0.3, 0.10) + 1.0);
        assertThat(range.p50().doubleValue()).isBetween(binomialPercentile(100, 0.3, 0.50) - 1.0, binomialPercentile(100, 0.3, 0.50) + 1.0);
        assertThat(range.p90().doubleValue()).isBetween(binomialPercentile(100, 0.3, 0.90) - 1.0, binomialPercentile(100, 0.3, 0.90) + 1.0);
    }

    @Test
    void a_joint_simulation_gives_each_sum_its_own_percentiles() {
        List<ForecastIntervals.SimulatedLine> lines = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            // Every line counts in sum 0 at its model probability 0.3 and in sum 1 at its adjusted probability 1: always.
            lines.add(new ForecastIntervals.SimulatedLine(outcome("0.3", "1.00"), outcome("1", "2.00"), new int[] {0}, new int[] {1}));
        }

        List<ForecastRange> ranges = ForecastIntervals.simulate(lines, 2, "k");

        assertThat(ranges.get(0).p50().doubleValue()).isBetween(29.0, 31.0);
        assertThat(ranges.get(1).p10()).isEqualByComparingTo("200.00");
        assertThat(ranges.get(1).p90()).isEqualByComparingTo("200.00");
    }

    /** The smallest k with P(Binomial(n, p) <= k) >= level. */
    private static double binomialPercentile(int n, double p, double level) {
        double cumulative = 0;
        for (int k = 0; k <= n; k++) {
            cumulative += binomial(n, k) * Math.pow(p, k) * Math.pow(1 - p, n - k);
            if (cumulative >= level) {
                return k;
            }
        }
        return n;
    }

    private static double binomial(int n, int k) {
        double result = 1;
        for (int i = 1; i <= k; i++) {
            result = result * (n - k + i) / i;
        }
        return result;
    }
}
