package io.finhub.catalog;

/** What a measure's number means, so clients can format it and alert rules can compare it. */
public enum Unit {
    /** An amount in the reporting currency, exact to the cent. */
    CURRENCY,
    COUNT,
    PERCENT,
    RATIO,
    MONTHS
}
