package io.finhub.attribution;

/** What attribution results are grouped by. */
public enum AttributionGrouping {
    CHANNEL,
    CAMPAIGN
}
