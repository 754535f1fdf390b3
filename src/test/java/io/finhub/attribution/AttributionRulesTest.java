package io.finhub.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.attribution.AttributionReport.ModelResult;
import io.finhub.attribution.AttributionReport.Row;
import io.finhub.store.Store;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules-based models on the journeys of {@code journeys.sql}, every figure worked out by hand.
 *
 * <p>The paths (90-day lookback): d1 150.00 = search (21 days before), email (14), social (7),
 * webinar (0); d2 220.00 (200.00 EUR × 1.10) = email (7 days 1 hour), search (1 hour); d3 50.00 = social;
 * d5 10.00 = email (its touch 151 days before and its touch after the deal are not on the path);
 * x3 40.00 = social (no journey: c3's touch 45 days before). x1 30.00 has no touch in 90 days:
 * unattributed. Attributable: 5 conversions, 470.00.
 */
class AttributionRulesTest {
    private static Store store;
    private static AttributionService attribution;

    @BeforeAll
    static void open() {
        store = AttributionFixtures.store("journeys");
        attribution = AttributionFixtures.service(store);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void conversions_without_a_touch_in_the_lookback_window_are_reported_as_unattributed() {
        AttributionReport report = report(AttributionModel.LINEAR);
        assertThat(report.attributableConversions()).isEqualTo(5);
        assertThat(report.attributableRevenue()).isEqualByComparingTo("470.00");
        assertThat(report.unattributedConversions()).isEqualTo(1);
        assertThat(report.unattributedRevenue()).isEqualByComparingTo("30.00");
    }

    @Test
    void first_touch_credits_the_first_touch_of_each_path() {
        // search: d1 150; email: d2 220 + d5 10; social: d3 50 + x3 40.
        assertThat(revenue(AttributionModel.FIRST_TOUCH)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "search", "150.00", "email", "230.00", "social", "90.00"));
    }

    @Test
    void last_touch_credits_the_last_touch_before_the_conversion() {
        // webinar: d1 150; search: d2 220; social: d3 50 + x3 40; email: d5 10.
        assertThat(revenue(AttributionModel.LAST_TOUCH)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "webinar", "150.00", "search", "220.00", "social", "90.00", "email", "10.00"));
    }

    @Test
    void linear_splits_each_conversion_equally_over_its_touches() {
        // d1: 37.50 each; d2: 110.00 each; d3, d5, x3 whole.
        // search 37.50 + 110 = 147.50; email 37.50 + 110 + 10 = 157.50; social 37.50 + 50 + 40 = 127.50; webinar 37.50.
        assertThat(revenue(AttributionModel.LINEAR)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "search", "147.50", "email", "157.50", "social", "127.50", "webinar", "37.50"));
        // Conversions: search 0.25 + 0.5; email 0.25 + 0.5 + 1; social 0.25 + 1 + 1; webinar 0.25.
        assertThat(conversions(AttributionModel.LINEAR)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "search", "0.750000", "email", "1.750000", "social", "2.250000", "webinar", "0.250000"));
    }

    @Test
    void position_based_gives_40_percent_to_first_and_last_and_splits_20_over_the_middle() {
        // d1 (4 touches): 40 % = 60.00 to search and webinar, 10 % = 15.00 to email and social.
        // d2 (2 touches): 50/50 = 110.00 each. Single touches take all.
        // search 60 + 110 = 170; email 15 + 110 + 10 = 135; social 15 + 50 + 40 = 105; webinar 60.
        assertThat(revenue(AttributionModel.POSITION_BASED)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "search", "170.00", "email", "135.00", "social", "105.00", "webinar", "60.00"));
    }

    @Test
    void time_decay_halves_the_weight_every_seven_days_before_the_conversion() {
        // d1: weights 2^-3, 2^-2, 2^-1, 1 = 1/8, 2/8, 4/8, 8/8 of a total 15/8, so 1/15, 2/15, 4/15, 8/15 of 150.00
        //     = 10.00, 20.00, 40.00, 80.00.
        // d2: email 169 hours before the deal, search 1 hour before: 168 hours = one half-life apart, so the weights
        //     are 1/2 : 1 and the split 1/3 : 2/3 of 220.00 = 73.333 / 146.667 → floors 73.33 + 146.66, the missing
        //     cent to the larger remainder (search).
        // search 10 + 146.67 = 156.67; email 20 + 73.33 + 10 = 103.33; social 40 + 50 + 40 = 130.00; webinar 80.00.
        assertThat(revenue(AttributionModel.TIME_DECAY)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "search", "156.67", "email", "103.33", "social", "130.00", "webinar", "80.00"));
    }

    @Test
    void a_shorter_half_life_moves_credit_towards_the_conversion() {
        // Half-life 3.5 days: d1 weights 2^-6, 2^-4, 2^-2, 1 = 1, 4, 16, 64 of 85: 150 × (1, 4, 16, 64) / 85
        // = 176.47, 705.88, 2823.53, 11294.12 cents → floors 1.76, 7.05, 28.23, 112.94 (149.98); the 2 missing cents go
        // to the largest remainders: email (.88) and social (.53).
        AttributionSettings settings = AttributionSettings.DEFAULTS.withHalfLifeDays(new BigDecimal("3.5"));
        AttributionJourney journey = attribution.journey("d1", List.of(AttributionModel.TIME_DECAY), settings);
        assertThat(journey.touches()).extracting(touch -> touch.channel() + " " + touch.credits().get(0).revenue())
                .containsExactly("search 1.76", "email 7.06", "social 28.24", "webinar 112.94");
    }

    @Test
    void campaigns_split_channel_credit_and_touches_without_a_campaign_are_grouped_as_null() {
        AttributionReport report = attribution.report(AttributionQuery.of(List.of(AttributionModel.LINEAR), AttributionGrouping.CAMPAIGN, AttributionSettings.DEFAULTS));
        // s-brand: d1 37.50; s-generic: d2 110.00; e-news: 37.50 + 110 + 10 = 157.50; w-demo 37.50; no campaign (social) 127.50.
        Map<String, String> byCampaign = report.models().get(0).rows().stream()
                .collect(Collectors.toMap(row -> String.valueOf(row.key()), row -> row.attributedRevenue().toPlainString()));
        assertThat(byCampaign).containsExactlyInAnyOrderEntriesOf(Map.of(
                "s-brand", "37.50", "s-generic", "110.00", "e-news", "157.50", "w-demo", "37.50", "null", "127.50"));
        Row newsletter = report.models().get(0).rows().stream().filter(row -> "e-news".equals(row.key())).findFirst().orElseThrow();
        assertThat(newsletter.label()).isEqualTo("Newsletter");
        assertThat(newsletter.channel()).isEqualTo("email");
    }

    @Test
    void a_period_and_deal_types_restrict_the_conversions_attributed() {
        // April only: d2 (220.00): linear 110 email / 110 search.
        AttributionReport april = attribution.report(AttributionQuery.of(List.of(AttributionModel.LINEAR), AttributionGrouping.CHANNEL, AttributionSettings.DEFAULTS)
                .withRange(java.time.LocalDate.of(2025, 4, 1), java.time.LocalDate.of(2025, 4, 30)));
        assertThat(april.attributableRevenue()).isEqualByComparingTo("220.00");
        assertThat(april.models().get(0).rows()).extracting(row -> row.key() + " " + row.attributedRevenue() + " " + row.share())
                .containsExactly("email 110.00 0.500000", "search 110.00 0.500000");
        // Expansions only: x3 40.00 to social; x1 unattributed.
        AttributionReport expansions = attribution.report(AttributionQuery.of(List.of(AttributionModel.LINEAR), AttributionGrouping.CHANNEL, AttributionSettings.DEFAULTS)
                .withDealTypes(List.of("EXPANSION")));
        assertThat(expansions.models().get(0).rows()).extracting(row -> row.key() + " " + row.attributedRevenue())
                .containsExactly("social 40.00");
        assertThat(expansions.unattributedRevenue()).isEqualByComparingTo("30.00");
    }

    @Test
    void a_longer_lookback_reaches_older_touches() {
        // 200 days: d5's touch of 2024-10-01 (151 days before) joins its path: search + email 5.00 each under LINEAR.
        AttributionJourney journey = attribution.journey("d5", List.of(AttributionModel.LINEAR), AttributionSettings.DEFAULTS.withLookbackDays(200));
        assertThat(journey.touches()).extracting(touch -> touch.touchpointId() + " " + touch.credits().get(0).revenue())
                .containsExactly("t5-1 5.00", "t5-2 5.00");
    }

    @Test
    void the_drill_down_shows_every_touch_of_a_journey_with_each_models_credit() {
        AttributionJourney journey = attribution.journey("d2", List.of(AttributionModel.FIRST_TOUCH, AttributionModel.POSITION_BASED), AttributionSettings.DEFAULTS);
        assertThat(journey.amount()).isEqualByComparingTo("200.00");
        assertThat(journey.currencyCode()).isEqualTo("EUR");
        assertThat(journey.revenue()).isEqualByComparingTo("220.00");
        assertThat(journey.touches()).extracting(touch -> touch.sequence() + " " + touch.channel() + " " + touch.campaign() + " " + touch.daysBeforeConversion()
                + " " + touch.credits().get(0).credit() + "/" + touch.credits().get(0).revenue() + " " + touch.credits().get(1).revenue())
                .containsExactly("1 email e-news 7.042 1.000000/220.00 110.00", "2 search s-generic 0.042 0.000000/0.00 110.00");
    }

    private static AttributionReport report(AttributionModel model) {
        return attribution.report(AttributionQuery.of(List.of(model), AttributionGrouping.CHANNEL, AttributionSettings.DEFAULTS));
    }

    private static Map<String, String> revenue(AttributionModel model) {
        ModelResult result = report(model).models().get(0);
        return result.rows().stream().collect(Collectors.toMap(Row::key, row -> row.attributedRevenue().toPlainString()));
    }

    private static Map<String, String> conversions(AttributionModel model) {
        ModelResult result = report(model).models().get(0);
        return result.rows().stream().collect(Collectors.toMap(Row::key, row -> row.attributedConversions().toPlainString()));
    }
}
