package io.finhub.forecast;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Accuracy measures of the backtest, as the forecasting literature defines them. Percentages are
 * fractions here (0.05 = 5 %).
 */
final class ForecastMetrics {
    private ForecastMetrics() {}

    /** Mean absolute percentage error: mean of |actual − forecast| ÷ |actual|, over the pairs whose actual is not zero. */
    static OptionalDouble mape(double[] actual, double[] forecast) {
        checkPairs(actual.length, forecast.length);
        double sum = 0;
        int count = 0;
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] != 0) {
                sum += Math.abs(actual[i] - forecast[i]) / Math.abs(actual[i]);
                count++;
            }
        }
        return count == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / count);
    }

    /** Weighted absolute percentage error: Σ |actual − forecast| ÷ Σ |actual|. */
    static OptionalDouble wape(double[] actual, double[] forecast) {
        checkPairs(actual.length, forecast.length);
        double errors = 0;
        double total = 0;
        for (int i = 0; i < actual.length; i++) {
            errors += Math.abs(actual[i] - forecast[i]);
            total += Math.abs(actual[i]);
        }
        return total == 0 ? OptionalDouble.empty() : OptionalDouble.of(errors / total);
    }

    /** Share of forecasts within {@code tolerance} of their actual: |actual − forecast| ≤ tolerance × |actual|. */
    static OptionalDouble shareWithin(double[] actual, double[] forecast, double tolerance) {
        checkPairs(actual.length, forecast.length);
        if (actual.length == 0) {
            return OptionalDouble.empty();
        }
        long within = 0;
        for (int i = 0; i < actual.length; i++) {
            if (Math.abs(actual[i] - forecast[i]) <= tolerance * Math.abs(actual[i]) + 1e-9) {
                within++;
            }
        }
        return OptionalDouble.of((double) within / actual.length);
    }

    /** Brier score: mean of (probability − outcome)², outcome 1 or 0. */
    static OptionalDouble brier(double[] probability, int[] outcome) {
        checkPairs(probability.length, outcome.length);
        if (probability.length == 0) {
            return OptionalDouble.empty();
        }
        double sum = 0;
        for (int i = 0; i < probability.length; i++) {
            sum += (probability[i] - outcome[i]) * (probability[i] - outcome[i]);
        }
        return OptionalDouble.of(sum / probability.length);
    }

    /** Share of outcomes predicted right when a probability of at least {@code threshold} predicts 1. */
    static OptionalDouble accuracy(double[] probability, int[] outcome, double threshold) {
        checkPairs(probability.length, outcome.length);
        if (probability.length == 0) {
            return OptionalDouble.empty();
        }
        long right = 0;
        for (int i = 0; i < probability.length; i++) {
            if ((probability[i] >= threshold ? 1 : 0) == outcome[i]) {
                right++;
            }
        }
        return OptionalDouble.of((double) right / probability.length);
    }

    /**
     * Area under the ROC curve: the probability that a random positive is scored above a random
     * negative, ties counting half (the Mann-Whitney U statistic ÷ (positives × negatives)).
     */
    static OptionalDouble rocAuc(double[] probability, int[] outcome) {
        checkPairs(probability.length, outcome.length);
        int n = probability.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (left, right) -> Double.compare(probability[left], probability[right]));
        double positiveRanks = 0;
        long positives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && probability[order[j + 1]] == probability[order[i]]) {
                j++;
            }
            double midRank = (i + j + 2) / 2.0;
            for (int m = i; m <= j; m++) {
                if (outcome[order[m]] == 1) {
                    positiveRanks += midRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((positiveRanks - positives * (positives + 1) / 2.0) / ((double) positives * negatives));
    }

    /** One bin of a reliability diagram. */
    record CalibrationBin(double lower, double upper, long count, double meanPredicted, double observedRate) {}

    /**
     * The calibration table: probabilities cut into {@code bins} equal-width bins of [0, 1] (a
     * probability on an inner edge belongs to the upper bin, 1 to the last), each with the mean
     * predicted probability and the observed rate of outcomes; empty bins are left out.
     */
    static List<CalibrationBin> calibration(double[] probability, int[] outcome, int bins) {
        checkPairs(probability.length, outcome.length);
        long[] counts = new long[bins];
        double[] predicted = new double[bins];
        double[] observed = new double[bins];
        for (int i = 0; i < probability.length; i++) {
            int bin = Math.min(bins - 1, (int) Math.floor(probability[i] * bins));
            counts[bin]++;
            predicted[bin] += probability[i];
            observed[bin] += outcome[i];
        }
        List<CalibrationBin> table = new ArrayList<>();
        for (int bin = 0; bin < bins; bin++) {
            if (counts[bin] > 0) {
                table.add(new CalibrationBin((double) bin / bins, (double) (bin + 1) / bins, counts[bin], predicted[bin] / counts[bin],
                        observed[bin] / counts[bin]));
            }
        }
        return table;
    }

    private static void checkPairs(int left, int right) {
        if (left != right) {
            throw new IllegalArgumentException("need as many forecasts as actuals, got " + left + " and " + right);
        }
    }
}
