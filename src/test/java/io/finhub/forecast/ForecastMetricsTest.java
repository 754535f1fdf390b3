package io.finhub.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.finhub.forecast.ForecastMetrics.CalibrationBin;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The backtest's accuracy measures against published worked examples. */
class ForecastMetricsTest {
    @Test
    void mape_matches_the_scikit_learn_example() {
        // scikit-learn, sklearn.metrics.mean_absolute_percentage_error, docstring example:
        // y_true = [3, -0.5, 2, 7], y_pred = [2.5, 0.0, 2, 8] -> 0.3273...
        // (0.5/3 + 0.5/0.5 + 0/2 + 1/7) / 4 = 0.327380...
        assertThat(ForecastMetrics.mape(new double[] {3, -0.5, 2, 7}, new double[] {2.5, 0.0, 2, 8}).getAsDouble())
                .isCloseTo(0.327380952, within(1e-9));
    }

    @Test
    void mape_matches_the_torchmetrics_example() {
        // torchmetrics.functional.mean_absolute_percentage_error docstring example:
        // target = [1, 10, 1e6], preds = [0.9, 15, 1.2e6] -> tensor(0.2667)
        assertThat(ForecastMetrics.mape(new double[] {1, 10, 1e6}, new double[] {0.9, 15, 1.2e6}).getAsDouble()).isCloseTo(0.2667, within(5e-5));
    }

    @Test
    void mape_leaves_out_zero_actuals() {
        assertThat(ForecastMetrics.mape(new double[] {0, 100}, new double[] {5, 90}).getAsDouble()).isCloseTo(0.10, within(1e-12));
        assertThat(ForecastMetrics.mape(new double[] {0}, new double[] {5})).isEmpty();
    }

    @Test
    void wape_matches_the_worked_example() {
        // askvity.info, "What is the weighted average percent error?": actual 100, 200, 150; forecast 90, 210, 140:
        // (10 + 10 + 10) / (100 + 200 + 150) = 30 / 450 = 6.67 %.
        assertThat(ForecastMetrics.wape(new double[] {100, 200, 150}, new double[] {90, 210, 140}).getAsDouble()).isCloseTo(30.0 / 450, within(1e-12));
    }

    @Test
    void share_within_five_percent_counts_the_boundary_in() {
        assertThat(ForecastMetrics.shareWithin(new double[] {100, 100, 100, 100}, new double[] {105, 95, 105.01, 80}, 0.05).getAsDouble())
                .isCloseTo(0.5, within(1e-12));
    }

    @Test
    void brier_matches_the_wikipedia_rain_examples() {
        // Wikipedia, "Brier score": forecast 70 % and it rains: (0.70 - 1)^2 = 0.09; 30 % and it rains: 0.49; 50 %: 0.25.
        assertThat(ForecastMetrics.brier(new double[] {0.7}, new int[] {1}).getAsDouble()).isCloseTo(0.09, within(1e-12));
        assertThat(ForecastMetrics.brier(new double[] {0.3}, new int[] {1}).getAsDouble()).isCloseTo(0.49, within(1e-12));
        assertThat(ForecastMetrics.brier(new double[] {0.5, 0.5}, new int[] {1, 0}).getAsDouble()).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void brier_matches_the_scikit_learn_example() {
        // scikit-learn, sklearn.metrics.brier_score_loss docstring: y_true = [0, 1, 1, 0], y_prob = [0.1, 0.9, 0.8, 0.3] -> 0.0375...
        assertThat(ForecastMetrics.brier(new double[] {0.1, 0.9, 0.8, 0.3}, new int[] {0, 1, 1, 0}).getAsDouble()).isCloseTo(0.0375, within(1e-12));
    }

    @Test
    void calibration_matches_the_scikit_learn_example() {
        // scikit-learn, sklearn.calibration.calibration_curve docstring: y_true = [0, 0, 0, 0, 1, 1, 1, 1, 1],
        // y_pred = [0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1.], n_bins=3 -> prob_true [0, 0.5, 1], prob_pred [0.2, 0.525, 0.85].
        List<CalibrationBin> table = ForecastMetrics.calibration(new double[] {0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1.0},
                new int[] {0, 0, 0, 0, 1, 1, 1, 1, 1}, 3);

        assertThat(table).extracting(CalibrationBin::observedRate).containsExactly(0.0, 0.5, 1.0);
        assertThat(table).extracting(CalibrationBin::meanPredicted).usingComparatorForType((left, right) -> Math.abs(left - right) < 1e-12 ? 0 : 1,
                Double.class).containsExactly(0.2, 0.525, 0.85);
        assertThat(table).extracting(CalibrationBin::count).containsExactly(3L, 2L, 4L);
    }

    @Test
    void roc_auc_matches_the_scikit_learn_example() {
        // scikit-learn user guide, roc_auc_score: y_true = [0, 0, 1, 1], y_scores = [0.1, 0.4, 0.35, 0.8] -> 0.75.
        assertThat(ForecastMetrics.rocAuc(new double[] {0.1, 0.4, 0.35, 0.8}, new int[] {0, 0, 1, 1}).getAsDouble()).isCloseTo(0.75, within(1e-12));
    }

    @Test
    void accuracy_reads_half_or_more_as_renews() {
        assertThat(ForecastMetrics.accuracy(new double[] {0.5, 0.49, 0.9, 0.1}, new int[] {1, 1, 0, 0}, 0.5).getAsDouble()).isCloseTo(0.5, within(1e-12));
    }
}
