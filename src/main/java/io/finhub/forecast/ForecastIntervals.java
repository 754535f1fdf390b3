package io.finhub.forecast;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * P10 / P50 / P90 of a sum of independent outcomes, each worth its amount with its probability and
 * nothing otherwise (a renewal renews or churns, an expansion closes or not). Outcomes with
 * probability 1 add their amount for certain, those with probability 0 nothing. For the rest:
 * <ul>
 *   <li>up to {@value #EXACT_LIMIT}: the exact distribution, every combination enumerated;</li>
 *   <li>up to {@value #MONTE_CARLO_LIMIT}: {@value #DRAWS} Monte Carlo draws from a seed fixed by a
 *       key, so the same data always gives the same range; the standard error of a P10 or P90
 *       estimate is about 0.025 standard deviations of the sum;</li>
 *   <li>above: the normal approximation with the exact mean and variance (by the central limit
 *       theorem; with thousands of outcomes it is closer than simulation noise).</li>
 * </ul>
 * Amounts are whole cents, so every bound is exact to the cent; independence is an assumption
 * (correlated shocks are what the scenarios are for).
 */
final class ForecastIntervals {
    static final int EXACT_LIMIT = 16;
    static final int MONTE_CARLO_LIMIT = 500;
    static final int DRAWS = 5_000;
    private static final double Z_90 = 1.2815515655446004;
    private static final long SEED = 0x5DEECE66DL;
    private static final double TOLERANCE = 1e-9;

    private ForecastIntervals() {}

    /** One outcome: {@code amount} (≥ 0) with {@code probability} (0..1), else nothing. */
    record Outcome(BigDecimal probability, BigDecimal amount) {
        Outcome {
            requireNonNull(probability, "probability is null");
            requireNonNull(amount, "amount is null");
        }
    }

    /**
     * A line of a joint simulation: its model and its adjusted outcome, and the sums each counts
     * towards (indexes into the sums of {@link #simulate}).
     */
    record SimulatedLine(Outcome model, Outcome adjusted, int[] modelSums, int[] adjustedSums) {}

    /**
     * The P10 / P50 / P90 of {@code sums} sums by Monte Carlo: {@value #DRAWS} portfolios drawn from a
     * seed fixed by {@code key}; in each, every line renews (or closes) when one uniform draw falls
     * below its probability, the same draw deciding its model and its adjusted outcome.
     */
    static List<ForecastRange> simulate(List<SimulatedLine> lines, int sums, String key) {
        int size = lines.size();
        double[] modelProbability = new double[size];
        double[] adjustedProbability = new double[size];
        long[] modelCents = new long[size];
        long[] adjustedCents = new long[size];
        for (int i = 0; i < size; i++) {
            SimulatedLine line = lines.get(i);
            modelProbability[i] = line.model().probability().doubleValue();
            adjustedProbability[i] = line.adjusted().probability().doubleValue();
            modelCents[i] = cents(line.model().amount());
            adjustedCents[i] = cents(line.adjusted().amount());
        }
        int[][] modelSums = new int[size][];
        int[][] adjustedSums = new int[size][];
        for (int i = 0; i < size; i++) {
            modelSums[i] = lines.get(i).modelSums();
            adjustedSums[i] = lines.get(i).adjustedSums();
        }
        long[][] draws = new long[sums][DRAWS];
        long[] portfolio = new long[sums];
        SplittableRandom random = new SplittableRandom(SEED ^ key.hashCode());
        for (int draw = 0; draw < DRAWS; draw++) {
            Arrays.fill(portfolio, 0);
            for (int i = 0; i < size; i++) {
                double u = random.nextDouble();
                if (u < modelProbability[i]) {
                    for (int sum : modelSums[i]) {
                        portfolio[sum] += modelCents[i];
                    }
                }
                if (u < adjustedProbability[i]) {
                    for (int sum : adjustedSums[i]) {
                        portfolio[sum] += adjustedCents[i];
                    }
                }
            }
            for (int sum = 0; sum < sums; sum++) {
                draws[sum][draw] = portfolio[sum];
            }
        }
        List<ForecastRange> ranges = new ArrayList<>();
        for (long[] sum : draws) {
            Arrays.sort(sum);
            ranges.add(range(sum[rank(0.10)], sum[rank(0.50)], sum[rank(0.90)], IntervalMethod.MONTE_CARLO, 0));
        }
        return ranges;
    }

    private static long cents(BigDecimal amount) {
        return amount.movePointRight(2).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    /** The range of a group whose every outcome is decided: {@code cents} for sure. */
    static ForecastRange certain(long cents) {
        return range(cents, cents, cents, IntervalMethod.CERTAIN, 0);
    }

    static ForecastRange range(List<Outcome> outcomes, String groupKey) {
        long certain = 0;
        List<double[]> uncertain = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            long cents = cents(outcome.amount());
            int sign = outcome.probability().signum();
            if (sign <= 0 || cents == 0) {
                continue;
            }
            if (outcome.probability().compareTo(BigDecimal.ONE) >= 0) {
                certain += cents;
            }
            else {
                uncertain.add(new double[] {outcome.probability().doubleValue(), cents});
            }
        }
        if (uncertain.isEmpty()) {
            return certain(certain);
        }
        if (uncertain.size() <= EXACT_LIMIT) {
            return exact(certain, uncertain);
        }
        if (uncertain.size() <= MONTE_CARLO_LIMIT) {
            return monteCarlo(certain, uncertain, groupKey);
        }
        return normal(certain, uncertain);
    }

    private static ForecastRange exact(long certain, List<double[]> uncertain) {
        long[] sums = {0};
        double[] probabilities = {1};
        for (double[] outcome : uncertain) {
            int size = sums.length;
            long[] nextSums = new long[size * 2];
            double[] nextProbabilities = new double[size * 2];
            for (int i = 0; i < size; i++) {
                nextSums[2 * i] = sums[i];
                nextProbabilities[2 * i] = probabilities[i] * (1 - outcome[0]);
                nextSums[2 * i + 1] = sums[i] + (long) outcome[1];
                nextProbabilities[2 * i + 1] = probabilities[i] * outcome[0];
            }
            sums = nextSums;
            probabilities = nextProbabilities;
        }
        Integer[] order = new Integer[sums.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        long[] values = sums;
        Arrays.sort(order, (left, right) -> Long.compare(values[left], values[right]));
        long[] sorted = new long[order.length];
        double[] cumulative = new double[order.length];
        double running = 0;
        for (int i = 0; i < order.length; i++) {
            running += probabilities[order[i]];
            sorted[i] = values[order[i]];
            cumulative[i] = running;
        }
        return range(certain + quantile(sorted, cumulative, 0.10), certain + quantile(sorted, cumulative, 0.50),
                certain + quantile(sorted, cumulative, 0.90), IntervalMethod.EXACT, uncertain.size());
    }

    /** The smallest value whose cumulative probability reaches {@code level}. */
    private static long quantile(long[] sorted, double[] cumulative, double level) {
        for (int i = 0; i < sorted.length; i++) {
            if (cumulative[i] >= level - TOLERANCE) {
                return sorted[i];
            }
        }
        return sorted[sorted.length - 1];
    }

    private static ForecastRange monteCarlo(long certain, List<double[]> uncertain, String groupKey) {
        SplittableRandom random = new SplittableRandom(SEED ^ groupKey.hashCode());
        int size = uncertain.size();
        double[] probability = new double[size];
        long[] cents = new long[size];
        for (int i = 0; i < size; i++) {
            probability[i] = uncertain.get(i)[0];
            cents[i] = (long) uncertain.get(i)[1];
        }
        long[] draws = new long[DRAWS];
        for (int draw = 0; draw < DRAWS; draw++) {
            long sum = 0;
            for (int i = 0; i < size; i++) {
                if (random.nextDouble() < probability[i]) {
                    sum += cents[i];
                }
            }
            draws[draw] = sum;
        }
        Arrays.sort(draws);
        return range(certain + draws[rank(0.10)], certain + draws[rank(0.50)], certain + draws[rank(0.90)], IntervalMethod.MONTE_CARLO, size);
    }

    /** Index of the empirical {@code level} quantile of {@value #DRAWS} sorted draws: the ⌈level × n⌉-th smallest. */
    private static int rank(double level) {
        return (int) Math.ceil(level * DRAWS - TOLERANCE) - 1;
    }

    private static ForecastRange normal(long certain, List<double[]> uncertain) {
        double mean = 0;
        double variance = 0;
        long maximum = 0;
        for (double[] outcome : uncertain) {
            mean += outcome[0] * outcome[1];
            variance += outcome[0] * (1 - outcome[0]) * outcome[1] * outcome[1];
            maximum += (long) outcome[1];
        }
        return normal(certain, mean, variance, maximum, uncertain.size());
    }

    /**
     * The normal approximation from the moments of the uncertain outcomes (in cents): their mean
     * Σ p·a, variance Σ p(1−p)·a² and largest possible sum Σ a; bounds are kept within [0, largest].
     */
    static ForecastRange normal(long certainCents, double meanCents, double varianceCents, long maximumCents, int uncertain) {
        double spread = Z_90 * Math.sqrt(Math.max(0, varianceCents));
        return range(certainCents + clamp(meanCents - spread, maximumCents), certainCents + clamp(meanCents, maximumCents),
                certainCents + clamp(meanCents + spread, maximumCents), IntervalMethod.NORMAL, uncertain);
    }

    private static long clamp(double cents, long maximum) {
        return Math.max(0, Math.min(maximum, Math.round(cents)));
    }

    private static ForecastRange range(long p10, long p50, long p90, IntervalMethod method, int uncertain) {
        return new ForecastRange(BigDecimal.valueOf(p10, 2), BigDecimal.valueOf(p50, 2), BigDecimal.valueOf(p90, 2), method, uncertain);
    }
}
