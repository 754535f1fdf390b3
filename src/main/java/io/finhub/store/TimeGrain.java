package io.finhub.store;

/** The time grains every time-bucketed measure can be asked for; quarter and year are fiscal. */
public enum TimeGrain {
    DAY,
    WEEK,
    MONTH,
    QUARTER,
    YEAR
}
