package io.finhub.forecast;

/** Where a model probability comes from. */
public enum ProbabilitySource {
    /** The renewal was decided by the as-of date: 1 renewed, 0 churned. */
    OUTCOME,
    /** The renewal model. */
    MODEL,
    /** Too little history to fit a model: the CRM probability of the open renewal opportunity. */
    CRM_STAGE,
    /** Too little history and no opportunity: the observed renewal rate (0.5 without any). */
    HISTORICAL_RATE,
    /** An expansion: its stage probability, times the renewal probability when aligned to a renewal. */
    STAGE
}
