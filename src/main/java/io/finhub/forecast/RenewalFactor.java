package io.finhub.forecast;

/**
 * The signals the renewal model learns from, each read on the case's snapshot day. Every factor is
 * computed from the case's signals, once in Java ({@link #value}) and once in SQL ({@link #sql}) so
 * the portfolio can be scored inside DuckDB; both take a health shift for the scenarios (the health
 * score moved by that many points, kept within 0..100).
 */
public enum RenewalFactor {
    HEALTH_SCORE("Customer health score (0-100), latest on the snapshot day"),
    HEALTH_BELOW_AT_RISK("Points the health score is below 40, the AT_RISK band (0 above it): lets risk rise faster there"),
    HEALTH_ABOVE_HEALTHY("Points the health score is above 70, the HEALTHY band (0 below it): lets risk level off there"),
    HEALTH_TREND_90D("Change of the health score over the 90 days before (points)"),
    SEAT_UTILIZATION("Seats used / seats licensed, latest reading of the contract"),
    FEATURE_ADOPTION("Feature adoption of the contract (0-1), latest reading"),
    TENURE_YEARS("Years since the customer was acquired"),
    ESCALATIONS_180D("Executive escalations in the 180 days before"),
    SUCCESS_PROGRAMME_180D("1 when the customer had success-plan or training activity in the 180 days before"),
    MID_MARKET("1 for a mid-market customer"),
    ENTERPRISE("1 for an enterprise customer");

    static final double AT_RISK_BELOW = 40;
    static final double HEALTHY_FROM = 70;

    private final String description;

    RenewalFactor(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** The factor's value for {@code renewal}, NaN when its signal is unknown. */
    double value(RenewalCase renewal, int healthShift) {
        double health = shifted(renewal.healthScore(), healthShift);
        return switch (this) {
            case HEALTH_SCORE -> health;
            case HEALTH_BELOW_AT_RISK -> Math.max(0, AT_RISK_BELOW - health);
            case HEALTH_ABOVE_HEALTHY -> Math.max(0, health - HEALTHY_FROM);
            case HEALTH_TREND_90D -> renewal.healthTrend();
            case SEAT_UTILIZATION -> renewal.seatUtilization();
            case FEATURE_ADOPTION -> renewal.featureAdoption();
            case TENURE_YEARS -> renewal.tenureYears();
            case ESCALATIONS_180D -> renewal.escalations();
            case SUCCESS_PROGRAMME_180D -> renewal.successProgramme();
            case MID_MARKET -> "MID_MARKET".equals(renewal.segment()) ? 1 : 0;
            case ENTERPRISE -> "ENTERPRISE".equals(renewal.segment()) ? 1 : 0;
        };
    }

    private static double shifted(double health, int shift) {
        return Double.isNaN(health) ? Double.NaN : Math.max(0, Math.min(100, health + shift));
    }

    /** The same value in SQL over the columns of {@code renewal_cases.sql}; NULL when unknown. */
    String sql(int healthShift) {
        // DuckDB's greatest and least skip NULLs (least(100, NULL) is 100), so an unknown health score is kept NULL explicitly.
        String health = "CASE WHEN health_score IS NOT NULL THEN greatest(0, least(100, health_score + %d)) END".formatted(healthShift);
        return switch (this) {
            case HEALTH_SCORE -> health;
            case HEALTH_BELOW_AT_RISK -> "CASE WHEN health_score IS NOT NULL THEN greatest(0, %s - %s) END".formatted(literal(AT_RISK_BELOW), health);
            case HEALTH_ABOVE_HEALTHY -> "CASE WHEN health_score IS NOT NULL THEN greatest(0, %s - %s) END".formatted(health, literal(HEALTHY_FROM));
            case HEALTH_TREND_90D -> "health_trend";
            case SEAT_UTILIZATION -> "seat_utilization";
            case FEATURE_ADOPTION -> "feature_adoption";
            case TENURE_YEARS -> "tenure_years";
            case ESCALATIONS_180D -> "escalations";
            case SUCCESS_PROGRAMME_180D -> "success_programme";
            case MID_MARKET -> "CASE WHEN segment = 'MID_MARKET' THEN 1.0 ELSE 0.0 END";
            case ENTERPRISE -> "CASE WHEN segment = 'ENTERPRISE' THEN 1.0 ELSE 0.0 END";
        };
    }

    /** A double as a DuckDB DOUBLE literal that reads back to exactly the same value. */
    static String literal(double value) {
        return "CAST('" + value + "' AS DOUBLE)";
    }
}
