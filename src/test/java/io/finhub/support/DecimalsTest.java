package io.finhub.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.junit.jupiter.api.Test;

/** Unrounded quotients compare with thresholds, and round for display, as the true quotient does. */
class DecimalsTest {
    @Test
    void a_quotient_that_ends_is_exact() {
        // −10000.04 × 100 ÷ 100000.00 = −10.00004: below −10, though it rounds to −10.0000.
        BigDecimal variance = Decimals.exactPercent(new BigDecimal("-10000.04"), new BigDecimal("100000.00")).orElseThrow();
        assertThat(variance).isEqualByComparingTo("-10.00004");
        assertThat(variance).isLessThan(new BigDecimal("-10"));
        assertThat(Decimals.percent(new BigDecimal("-10000.04"), new BigDecimal("100000.00"))).hasValueSatisfying(shown -> assertThat(shown).isEqualTo("-10.0000"));
    }

    @Test
    void a_quotient_that_does_not_end_lies_strictly_between_the_same_neighbours_as_the_true_one() {
        // 200 ÷ 3 = 66.666…: between 66.666666666666 and 66.666666666667 (12 places), and 66.6667 to 4 places.
        BigDecimal third = Decimals.exactRatio(new BigDecimal("200"), new BigDecimal("3")).orElseThrow();
        assertThat(third).isGreaterThan(new BigDecimal("66.666666666666")).isLessThan(new BigDecimal("66.666666666667"));
        assertThat(third.setScale(4, RoundingMode.HALF_EVEN)).isEqualTo("66.6667");
        BigDecimal negative = Decimals.exactRatio(new BigDecimal("-200"), new BigDecimal("3")).orElseThrow();
        assertThat(negative).isLessThan(new BigDecimal("-66.666666666666")).isGreaterThan(new BigDecimal("-66.666666666667"));
        // 1 ÷ 10^13 = 0.0000000000001 is past 0 though its first 12 places are all zero; −1 ÷ 10^13 is below 0.
        assertThat(Decimals.exactRatio(BigDecimal.ONE, BigDecimal.TEN.pow(13)).orElseThrow()).isPositive();
        assertThat(Decimals.exactRatio(BigDecimal.ONE.negate(), BigDecimal.TEN.pow(13)).orElseThrow()).isNegative();
    }

    @Test
    void rounding_the_unrounded_quotient_to_four_places_rounds_the_true_one() {
        // 1 ÷ 19999 = 0.0000500025… is just above the midpoint 0.00005, so 0.0001; 1 ÷ 20001 = 0.0000499975… is just below, so 0.0000.
        assertThat(Decimals.exactRatio(BigDecimal.ONE, new BigDecimal("19999")).orElseThrow().setScale(4, RoundingMode.HALF_EVEN)).isEqualTo("0.0001");
        assertThat(Decimals.exactRatio(BigDecimal.ONE, new BigDecimal("20001")).orElseThrow().setScale(4, RoundingMode.HALF_EVEN)).isEqualTo("0.0000");
    }

    @Test
    void a_ratio_over_zero_or_a_missing_input_is_empty() {
        assertThat(Decimals.exactRatio(BigDecimal.ONE, BigDecimal.ZERO)).isEmpty();
        assertThat(Decimals.exactPercent(null, BigDecimal.ONE)).isEmpty();
    }
}
