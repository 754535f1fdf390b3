package io.finhub.attribution;

/** Customer-success outcomes that earn a programme credit. */
public enum AttributionCsOutcomeType {
    /** Expansion revenue (upsell, cross-sell). */
    EXPANSION,
    /** Value of a renewal saved from churn: ARR × (1 − baseline renewal probability of the account's risk band). */
    CHURN_PROTECTION
}
