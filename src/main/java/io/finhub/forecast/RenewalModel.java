package io.finhub.forecast;

import static java.util.Objects.requireNonNull;

import io.finhub.support.SqlScripts;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The renewal model: a logistic regression of "renewed" on the {@link RenewalFactor}s, fitted on the
 * company's own decided renewals. Factors are standardised on the training cases (a missing value
 * counts as the training mean), so each slope is the change in log-odds per standard deviation and
 * a contract's factor contribution is slope × its standardised value: how far that factor moves its
 * log-odds away from those of an average contract. The contributions add up, with the intercept, to
 * the contract's log-odds.
 *
 * @param coefficients intercept, then one slope per factor (per standard deviation)
 */
record RenewalModel(LocalDate trainedThrough, int cases, int renewed, double[] means, double[] deviations, double[] coefficients) {
    /** Ridge penalty on the standardised slopes; negligible next to hundreds of cases. */
    static final double RIDGE = 1.0;
    /** Fewer decided renewals than this and the company's history is too short to learn from. */
    static final int MINIMUM_CASES = 30;

    RenewalModel {
        requireNonNull(trainedThrough, "trainedThrough is null");
        int factors = RenewalFactor.values().length;
        if (means.length != factors || deviations.length != factors || coefficients.length != factors + 1) {
            throw new IllegalArgumentException("a renewal model has one mean, deviation and slope per factor");
        }
    }

    /** Fits the model on decided cases; empty when there are too few of them or only one outcome. */
    static Optional<RenewalModel> fit(List<RenewalCase> decided, LocalDate trainedThrough) {
        requireNonNull(decided, "decided is null");
        double[][] raw = new double[decided.size()][];
        int[] y = new int[decided.size()];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = decided.get(i).factors(0);
            y[i] = decided.get(i).renewed() ? 1 : 0;
        }
        return fit(raw, y, trainedThrough);
    }

    /** Fits the model on factor values (NaN when unknown, in {@link RenewalFactor} order) and outcomes (1 renewed, 0 not). */
    static Optional<RenewalModel> fit(double[][] raw, int[] y, LocalDate trainedThrough) {
        int n = raw.length;
        long positives = Arrays.stream(y).filter(outcome -> outcome == 1).count();
        if (n < MINIMUM_CASES || positives == 0 || positives == n) {
            return Optional.empty();
        }
        int k = RenewalFactor.values().length;
        // Row by row (each column's sums still add the rows in order): one pass over the rows per sum, not one per column.
        double[] sums = new double[k];
        int[] known = new int[k];
        for (double[] row : raw) {
            for (int j = 0; j < k; j++) {
                if (!Double.isNaN(row[j])) {
                    sums[j] += row[j];
                    known[j]++;
                }
            }
        }
        double[] means = new double[k];
        for (int j = 0; j < k; j++) {
            means[j] = known[j] == 0 ? 0 : sums[j] / known[j];
        }
        double[] squares = new double[k];
        for (double[] row : raw) {
            for (int j = 0; j < k; j++) {
                if (!Double.isNaN(row[j])) {
                    squares[j] += (row[j] - means[j]) * (row[j] - means[j]);
                }
            }
        }
        double[] deviations = new double[k];
        for (int j = 0; j < k; j++) {
            double deviation = known[j] < 2 ? 0 : Math.sqrt(squares[j] / (known[j] - 1));
            deviations[j] = deviation > 1e-12 ? deviation : 1;
        }
        // Standardised into one array, row after row (a million rows as arrays of their own cost more to make and to read than the fit).
        double[] x = new double[n * k];
        for (int i = 0; i < n; i++) {
            double[] row = raw[i];
            for (int j = 0; j < k; j++) {
                x[i * k + j] = Double.isNaN(row[j]) ? 0 : (row[j] - means[j]) / deviations[j];
            }
        }
        double[] coefficients = LogisticRegression.fit(x, k, y, RIDGE);
        return Optional.of(new RenewalModel(trainedThrough, n, (int) positives, means, deviations, coefficients));
    }

    /**
     * Fits the model on the decided cases of {@code table} (the columns of {@code renewal_cases.sql}):
     * DuckDB computes the factor values and only those are read, by position, in the order
     * {@link RenewalCases#read} reads the cases, so the model is exactly the one
     * {@link #fit(List, LocalDate)} fits on them (on the m scale, reading 161,000 cases as
     * {@link RenewalCase}s took 0.7 s, their factor values 0.1 s).
     */
    static Optional<RenewalModel> fit(Handle handle, String table, LocalDate trainedThrough) {
        int k = RenewalFactor.values().length;
        String sql = "SELECT renewed" + factorValues() + " FROM " + table + " WHERE decided ORDER BY end_date, contract_id";
        List<double[]> raw = new ArrayList<>();
        List<Integer> outcomes = new ArrayList<>();
        SqlScripts.query(handle, sql, row -> {
            while (row.next()) {
                outcomes.add(row.getBoolean(1) ? 1 : 0);
                double[] values = new double[k];
                for (int j = 0; j < k; j++) {
                    double value = row.getDouble(j + 2);
                    values[j] = row.wasNull() ? Double.NaN : value;
                }
                raw.add(values);
            }
            return null;
        });
        return fit(raw.toArray(double[][]::new), outcomes.stream().mapToInt(Integer::intValue).toArray(), trainedThrough);
    }

    /** The factor values over the columns of {@code renewal_cases.sql}, each as {@code , CAST(... AS DOUBLE)}, in {@link RenewalFactor} order. */
    static String factorValues() {
        StringBuilder sql = new StringBuilder();
        for (RenewalFactor factor : RenewalFactor.values()) {
            sql.append(", CAST(").append(factor.sql(0)).append(" AS DOUBLE)");
        }
        return sql.toString();
    }

    /** A factor standardised in SQL, unknown values at 0 (the training mean): the arithmetic of {@link #standardise}. */
    private static String standardisedSql(RenewalFactor factor, int healthShift, double mean, double deviation) {
        return "coalesce((CAST(" + factor.sql(healthShift) + " AS DOUBLE) - " + RenewalFactor.literal(mean) + ") / " + RenewalFactor.literal(deviation) + ", 0)";
    }

    private static double[] standardise(double[] factors, double[] means, double[] deviations) {
        double[] z = new double[factors.length];
        for (int j = 0; j < factors.length; j++) {
            z[j] = Double.isNaN(factors[j]) ? 0 : (factors[j] - means[j]) / deviations[j];
        }
        return z;
    }

    double probability(RenewalCase renewal, int healthShift) {
        return LogisticRegression.sigmoid(LogisticRegression.linear(coefficients, standardise(renewal.factors(healthShift), means, deviations)));
    }

    /**
     * The probability in SQL over the columns of {@code renewal_cases.sql}, with the health score
     * moved by {@code healthShift} points: the same arithmetic as {@link #probability}.
     */
    String probabilitySql(int healthShift) {
        StringBuilder logit = new StringBuilder(RenewalFactor.literal(coefficients[0]));
        for (RenewalFactor factor : RenewalFactor.values()) {
            int j = factor.ordinal();
            logit.append(" + ").append(RenewalFactor.literal(coefficients[j + 1])).append(" * ").append(standardisedSql(factor, healthShift, means[j], deviations[j]));
        }
        return "(1 / (1 + exp(-(" + logit + "))))";
    }

    /** Each factor's contribution to this contract's log-odds, relative to an average contract. */
    List<FactorContribution> contributions(RenewalCase renewal) {
        double[] factors = renewal.factors(0);
        double[] z = standardise(factors, means, deviations);
        List<FactorContribution> contributions = new ArrayList<>();
        for (RenewalFactor factor : RenewalFactor.values()) {
            int j = factor.ordinal();
            double value = factors[j];
            contributions.add(new FactorContribution(factor, Double.isNaN(value) ? null : value, means[j], coefficients[j + 1] / deviations[j],
                    coefficients[j + 1] * z[j]));
        }
        return contributions;
    }

    RenewalModelSummary summary() {
        List<FactorWeight> weights = new ArrayList<>();
        for (RenewalFactor factor : RenewalFactor.values()) {
            int j = factor.ordinal();
            weights.add(new FactorWeight(factor, factor.description(), means[j], deviations[j], coefficients[j + 1], coefficients[j + 1] / deviations[j]));
        }
        return new RenewalModelSummary(trainedThrough, cases, renewed, (double) renewed / cases, coefficients[0],
                LogisticRegression.sigmoid(coefficients[0]), weights);
    }
}
