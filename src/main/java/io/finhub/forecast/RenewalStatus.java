package io.finhub.forecast;

/** Where a renewal stands on the as-of date. */
public enum RenewalStatus {
    OPEN,
    RENEWED,
    CHURNED
}
