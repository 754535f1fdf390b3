package io.finhub.alert;

/** How urgent an alert is. Filters by severity ("WARNING") mean that severity or a more severe one. */
public enum AlertSeverity {
    INFO,
    WARNING,
    CRITICAL;

    public boolean atLeast(AlertSeverity minimum) {
        return compareTo(minimum) >= 0;
    }
}
