package io.finhub.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/** The fit over many rows, summed in chunks side by side: optimal, and the same whatever the number of threads. */
class LogisticRegressionTest {
    private static final int ROWS = 70_000;
    private static final int FACTORS = 5;

    @Test
    void the_fit_solves_the_penalised_score_equations() {
        Data data = data(new Random(7));
        double ridge = 1.0;

        double[] beta = LogisticRegression.fit(data.x(), data.y(), ridge);

        // At the optimum the gradient of the log-likelihood equals the ridge penalty's: Σ x (y − p) = ridge · β (not on the intercept).
        double[] score = new double[FACTORS + 1];
        for (int i = 0; i < ROWS; i++) {
            double p = LogisticRegression.sigmoid(LogisticRegression.linear(beta, data.x()[i]));
            score[0] += data.y()[i] - p;
            for (int j = 0; j < FACTORS; j++) {
                score[j + 1] += data.x()[i][j] * (data.y()[i] - p);
            }
        }
        assertThat(score[0]).isCloseTo(0, within(1e-6));
        for (int j = 1; j <= FACTORS; j++) {
            assertThat(score[j]).as("score of factor %d", j).isCloseTo(ridge * beta[j], within(1e-6));
        }
        // The data were drawn with slopes 1, -0.5, 0.25, 0, 2 and intercept -0.3: 70,000 rows recover them closely.
        assertThat(beta[0]).isCloseTo(-0.3, within(0.05));
        assertThat(beta[1]).isCloseTo(1.0, within(0.05));
        assertThat(beta[5]).isCloseTo(2.0, within(0.05));
    }

    @Test
    void one_thread_and_many_give_the_same_coefficients_to_the_last_bit() throws Exception {
        Data data = data(new Random(11));
        ForkJoinPool one = new ForkJoinPool(1);
        ForkJoinPool four = new ForkJoinPool(4);
        try {
            double[] single = one.submit(() -> LogisticRegression.fit(data.x(), data.y(), 1.0)).get();
            double[] several = four.submit(() -> LogisticRegression.fit(data.x(), data.y(), 1.0)).get();

            assertThat(several).containsExactly(single);
        }
        finally {
            one.shutdown();
            four.shutdown();
        }
    }

    private record Data(double[][] x, int[] y) {}

    private static Data data(Random random) {
        double[] slopes = {1.0, -0.5, 0.25, 0, 2.0};
        double[][] x = new double[ROWS][FACTORS];
        int[] y = new int[ROWS];
        for (int i = 0; i < ROWS; i++) {
            double logit = -0.3;
            for (int j = 0; j < FACTORS; j++) {
                x[i][j] = random.nextGaussian();
                logit += slopes[j] * x[i][j];
            }
            y[i] = random.nextDouble() < LogisticRegression.sigmoid(logit) ? 1 : 0;
        }
        return new Data(x, y);
    }
}
