package io.finhub.attribution;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One conversion, the touches of its path and what each model credits each touch: the drill-down
 * that explains any attributed figure.
 *
 * @param revenue the conversion's value in the reporting currency
 */
public record AttributionJourney(String conversionId, String journeyId, String customerId, String dealType, Instant convertedAt, BigDecimal amount,
        String currencyCode, BigDecimal revenue, String reportingCurrency, long dataVersion, AttributionSettings settings, List<Touch> touches) {
    public AttributionJourney {
        requireNonNull(conversionId, "conversionId is null");
        requireNonNull(convertedAt, "convertedAt is null");
        touches = List.copyOf(touches);
    }

    /**
     * @param sequence 1 for the first touch of the path
     * @param daysBeforeConversion age of the touch at the conversion, in days (three decimals)
     */
    public record Touch(int sequence, String touchpointId, String journeyId, String channel, String channelLabel, String campaign,
            String campaignLabel, Instant touchedAt, BigDecimal daysBeforeConversion, List<Credit> credits) {
        public Touch {
            credits = List.copyOf(credits);
        }
    }

    /** A model's credit for a touch: a share of the conversion and the revenue it carries. */
    public record Credit(AttributionModel model, BigDecimal credit, BigDecimal revenue) {}
}
