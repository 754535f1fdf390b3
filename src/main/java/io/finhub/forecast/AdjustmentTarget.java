package io.finhub.forecast;

/** What a forecast adjustment overrides: a contract's renewal or an expansion opportunity. */
public enum AdjustmentTarget {
    RENEWAL,
    EXPANSION
}
