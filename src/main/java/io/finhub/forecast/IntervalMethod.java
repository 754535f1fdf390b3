package io.finhub.forecast;

/** How a P10 / P50 / P90 range was built from independent renewal and expansion outcomes. */
public enum IntervalMethod {
    /** Nothing uncertain: every outcome is known (or certain), so all three are the expected value. */
    CERTAIN,
    /** Every combination of outcomes enumerated with its probability (up to 16 uncertain outcomes). */
    EXACT,
    /** 5 000 simulated portfolios from a seed fixed per group, so the same data gives the same range. */
    MONTE_CARLO,
    /** Normal approximation with the exact mean and variance, for groups of more than 500 uncertain outcomes. */
    NORMAL
}
