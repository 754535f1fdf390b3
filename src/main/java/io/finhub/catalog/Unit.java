package io.finhub.catalog;

import io.finhub.support.Decimals;

/** What a measure's number means, so clients can format it and alert rules can compare it. */
public enum Unit {
    /** An amount in the reporting currency, exact to the cent. */
    CURRENCY(Decimals.MONEY_SCALE),
    COUNT(Decimals.RATIO_SCALE),
    PERCENT(Decimals.RATIO_SCALE),
    RATIO(Decimals.RATIO_SCALE),
    MONTHS(Decimals.RATIO_SCALE);

    private final int displayScale;

    Unit(int displayScale) {
        this.displayScale = displayScale;
    }

    /** At most how many decimal places a derived measure of this unit is reported with. */
    public int displayScale() {
        return displayScale;
    }
}
