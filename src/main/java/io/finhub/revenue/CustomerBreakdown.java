package io.finhub.revenue;

/** Customer attributes revenue reports can be broken down by; each maps to a trusted column of {@code dim_customer cu}. */
public enum CustomerBreakdown {
    SEGMENT("cu.segment"),
    REGION("cu.region"),
    INDUSTRY("cu.industry"),
    CHANNEL("cu.acquisition_channel_id");

    private final String column;

    CustomerBreakdown(String column) {
        this.column = column;
    }

    String column() {
        return column;
    }
}
