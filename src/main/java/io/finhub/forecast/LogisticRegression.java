package io.finhub.forecast;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Binary logistic regression fitted by iteratively reweighted least squares (Newton's method on the
 * log-likelihood), with a small ridge penalty on the slopes (not the intercept) so that a feature
 * without variation, or classes that separate perfectly, cannot make it diverge. With the penalty
 * at zero this is the maximum-likelihood fit, whose mean predicted probability equals the observed
 * rate on the training data (the intercept's score equation).
 */
final class LogisticRegression {
    static final int MAX_ITERATIONS = 50;
    static final double TOLERANCE = 1e-9;
    /** Rows summed together before the chunks are added up. */
    private static final int CHUNK = 16_384;

    private LogisticRegression() {}

    /**
     * Coefficients [intercept, slope 1, ..., slope k] for rows {@code x} (n × k, no intercept column)
     * and outcomes {@code y} (0 or 1).
     */
    static double[] fit(double[][] x, int[] y, double ridge) {
        if (x.length == 0 || y.length != x.length) {
            throw new IllegalArgumentException("need as many outcomes as rows, and at least one row");
        }
        int columns = x[0].length;
        double[] flat = new double[x.length * columns];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(x[i], 0, flat, i * columns, columns);
        }
        return fit(flat, columns, y, ridge);
    }

    /**
     * As {@link #fit(double[][], int[], double)} for rows laid out one after the other in {@code x}
     * ({@code columns} values each): one array instead of a million, which the fit reads seven times.
     */
    static double[] fit(double[] x, int columns, int[] y, double ridge) {
        int n = y.length;
        if (n == 0 || x.length != n * columns) {
            throw new IllegalArgumentException("need as many outcomes as rows, and at least one row");
        }
        int k = columns + 1;
        double[] beta = new double[k];
        double rate = Arrays.stream(y).average().orElse(0.5);
        beta[0] = Math.log(Math.max(rate, 1e-6) / Math.max(1 - rate, 1e-6));
        int chunks = (n + CHUNK - 1) / CHUNK;
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double[] current = beta.clone();
            // Each chunk of rows is summed on its own (in parallel), then the chunks are added in order: the same
            // coefficients on any number of cores, and exactly the sequential sums when there is one chunk.
            double[][] partial = IntStream.range(0, chunks).parallel()
                    .mapToObj(chunk -> sums(x, y, current, chunk * CHUNK, Math.min(n, (chunk + 1) * CHUNK)))
                    .toArray(double[][]::new);
            double[] gradient = new double[k];
            double[] lower = new double[k * (k + 1) / 2];
            for (double[] sums : partial) {
                for (int a = 0; a < k; a++) {
                    gradient[a] += sums[a];
                }
                for (int cell = 0; cell < lower.length; cell++) {
                    lower[cell] += sums[k + cell];
                }
            }
            double[][] hessian = new double[k][k];
            for (int a = 0, cell = 0; a < k; a++) {
                for (int b = 0; b <= a; b++, cell++) {
                    hessian[a][b] = lower[cell];
                }
            }
            for (int a = 1; a < k; a++) {
                gradient[a] -= ridge * beta[a];
                hessian[a][a] += ridge;
            }
            for (int a = 0; a < k; a++) {
                for (int b = a + 1; b < k; b++) {
                    hessian[a][b] = hessian[b][a];
                }
            }
            double[] step = solve(hessian, gradient);
            double largest = 0;
            for (int a = 0; a < k; a++) {
                beta[a] += step[a];
                largest = Math.max(largest, Math.abs(step[a]));
            }
            if (largest < TOLERANCE) {
                break;
            }
        }
        return beta;
    }

    /**
     * The gradient (k values) then the lower triangle of the Hessian, row by row, summed over rows
     * {@code from} to {@code to}: the inner loop of the fit, kept flat and branch-free.
     */
    private static double[] sums(double[] x, int[] y, double[] beta, int from, int to) {
        int k = beta.length;
        double[] sums = new double[k + k * (k + 1) / 2];
        double[] row = new double[k];
        row[0] = 1;
        for (int i = from; i < to; i++) {
            System.arraycopy(x, i * (k - 1), row, 1, k - 1);
            double p = sigmoid(linear(beta, row, 1));
            double weight = Math.max(p * (1 - p), 1e-12);
            double residual = y[i] - p;
            for (int a = 0, cell = k; a < k; a++) {
                double xa = row[a];
                double weighted = weight * xa;
                sums[a] += xa * residual;
                for (int b = 0; b <= a; b++, cell++) {
                    sums[cell] += weighted * row[b];
                }
            }
        }
        return sums;
    }

    static double linear(double[] beta, double[] row) {
        return linear(beta, row, 0);
    }

    /** The intercept plus each slope times the value at {@code offset} onwards in {@code row}. */
    private static double linear(double[] beta, double[] row, int offset) {
        double sum = beta[0];
        for (int a = 1; a < beta.length; a++) {
            sum += beta[a] * row[offset + a - 1];
        }
        return sum;
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    /** Solves the symmetric positive definite system {@code a} · s = {@code b} by Cholesky decomposition. */
    static double[] solve(double[][] a, double[] b) {
        int k = b.length;
        double[][] lower = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i][j];
                for (int m = 0; m < j; m++) {
                    sum -= lower[i][m] * lower[j][m];
                }
                if (i == j) {
                    lower[i][i] = Math.sqrt(Math.max(sum, 1e-12));
                }
                else {
                    lower[i][j] = sum / lower[j][j];
                }
            }
        }
        double[] forward = new double[k];
        for (int i = 0; i < k; i++) {
            double sum = b[i];
            for (int m = 0; m < i; m++) {
                sum -= lower[i][m] * forward[m];
            }
            forward[i] = sum / lower[i][i];
        }
        double[] solution = new double[k];
        for (int i = k - 1; i >= 0; i--) {
            double sum = forward[i];
            for (int m = i + 1; m < k; m++) {
                sum -= lower[m][i] * solution[m];
            }
            solution[i] = sum / lower[i][i];
        }
        return solution;
    }
}
