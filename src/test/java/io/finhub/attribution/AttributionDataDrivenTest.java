package io.finhub.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.attribution.AttributionReport.ModelResult;
import io.finhub.attribution.AttributionReport.RemovalEffect;
import io.finhub.attribution.AttributionReport.Row;
import io.finhub.store.Store;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Markov and Shapley against published worked examples and against independent computations.
 * Expected figures come from the cited articles or from the hand calculations in the comments.
 */
class AttributionDataDrivenTest {

    @Test
    void markov_removal_effects_match_the_c1_c2_c3_example_of_the_literature() {
        // Bryl (analyzecore.com, 2016), part 1: paths C1 → C2 → C3 → conv, C1 → null, C2 → C3 → null.
        // P(start → C1) = 2/3, P(start → C2) = 1/3, P(C1 → C2) = P(C1 → null) = 1/2, P(C2 → C3) = 1, P(C3 → conv) = 1/2.
        // P(conversion) = 2/3 · 1/2 · 1 · 1/2 + 1/3 · 1 · 1/2 = 1/3.
        // Without C1: 1/3 · 1/2 = 1/6, removal effect 1 − (1/6)/(1/3) = 0.5; without C2 or C3: 0, removal effect 1.
        // The article's result: C1 0.2, C2 0.4, C3 0.4 of the conversion (0.5, 1, 1 normalised by 2.5).
        try (Store store = AttributionFixtures.store("markov_bryl")) {
            ModelResult markov = markov(store);
            assertThat(effects(markov)).containsExactlyInAnyOrderEntriesOf(Map.of("c1", "0.500000", "c2", "1.000000", "c3", "1.000000"));
            assertThat(markov.removalEffects().get(0).conversionProbability()).isEqualByComparingTo(new BigDecimal("0.333333333333"));
            assertThat(conversions(markov)).containsExactlyInAnyOrderEntriesOf(Map.of("c1", "0.200000", "c2", "0.400000", "c3", "0.400000"));
            assertThat(revenue(markov)).containsExactlyInAnyOrderEntriesOf(Map.of("c1", "20.00", "c2", "40.00", "c3", "40.00"));
        }
    }

    @Test
    void markov_removal_effects_match_the_google_ads_and_mailing_example_and_use_the_non_converting_path() {
        // Puzyrov (2019): start → google ads 4/5, → mailing 1/5; google ads → conv 2/4, → mailing 1/4, → null 1/4;
        // mailing → conv 1. P(conversion) = 4/5 · (1/2 + 1/4) + 1/5 = 0.8.
        // Without google ads: 1/5 = 0.2 → removal effect 0.75. Without mailing: 4/5 · 1/2 = 0.4 → removal effect 0.5.
        // The article's channel-level result: 4 conversions × 0.75/1.25 = 2.4 for google ads, × 0.5/1.25 = 1.6 for mailing.
        try (Store store = AttributionFixtures.store("markov_puzyrov")) {
            ModelResult markov = markov(store);
            assertThat(effects(markov)).containsExactlyInAnyOrderEntriesOf(Map.of("google_ads", "0.750000", "mailing", "0.500000"));
            assertThat(markov.removalEffects()).extracting(effect -> effect.channel() + " " + effect.conversions().setScale(4, RoundingMode.HALF_EVEN))
                    .containsExactly("google_ads 2.4000", "mailing 1.6000");
            // The model's allocation splits each conversion over its own path: the two google-ads-only and the
            // mailing-only deals stay whole; google ads → mailing splits 0.75 : 0.5 = 0.6 : 0.4.
            // google ads 1 + 1 + 0.6 = 2.6 conversions, 260.00; mailing 1 + 0.4 = 1.4, 140.00.
            assertThat(conversions(markov)).containsExactlyInAnyOrderEntriesOf(Map.of("google_ads", "2.600000", "mailing", "1.400000"));
            assertThat(revenue(markov)).containsExactlyInAnyOrderEntriesOf(Map.of("google_ads", "260.00", "mailing", "140.00"));
        }
    }

    @Test
    void markov_on_tiny_journeys_with_a_non_converting_one() {
        // journeys.sql (90-day paths): d1 search → email → social → webinar → conv; d2 email → search → conv;
        // d3 social → conv; d5 email → conv; x3 social → conv; j4 search → email → null.
        // Counts: start → search 2 (d1, j4), email 2 (d2, d5), social 2 (d3, x3). search → email 2 (d1, j4), → conv 1 (d2).
        // email → social 1, → search 1, → conv 1 (d5), → null 1 (j4). social → webinar 1, → conv 2. webinar → conv 1.
        // Conversion probabilities: webinar 1; social 1/3 · 1 + 2/3 = 1; email: x_e = 1/4 x_so + 1/4 x_s + 1/4,
        // search: x_s = 2/3 x_e + 1/3. So x_e = 1/4 + 1/4 (2/3 x_e + 1/3) + 1/4 = 7/12 + x_e / 6 → x_e = 7/10, x_s = 4/5.
        // P = 1/3 (4/5 + 7/10 + 1) = 5/6.
        // Without search: email → search goes to null: x_e = 1/4 + 1/4 = 1/2; P = 1/3 (0 + 1/2 + 1) = 1/2 → effect 2/5.
        // Without email: x_s = 1/3, P = 1/3 (1/3 + 0 + 1) = 4/9 → effect 1 − (4/9)/(5/6) = 7/15.
        // Without social: x_e = 1/4 x_s + 1/4, x_s = 2/3 x_e + 1/3 → x_e = 1/3 + 1/4 ... x_e = 1/4 (2/3 x_e + 1/3) + 1/4
        //   = x_e / 6 + 1/3 → x_e = 2/5, x_s = 3/5; P = 1/3 (3/5 + 2/5 + 0) = 1/3 → effect 3/5.
        // Without webinar: x_so = 2/3; x_e = 1/4 · 2/3 + 1/4 x_s + 1/4 = 5/12 + x_s/4, x_s = 2/3 x_e + 1/3 → x_e = 1/2 + x_e/6
        //   → x_e = 3/5, x_s = 11/15; P = 1/3 (11/15 + 3/5 + 2/3) = 2/3 → effect 1/5.
        try (Store store = AttributionFixtures.store("journeys")) {
            ModelResult markov = markov(store);
            assertThat(effects(markov)).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "search", "0.400000", "email", "0.466667", "social", "0.600000", "webinar", "0.200000"));
            assertThat(markov.removalEffects().get(0).conversionProbability()).isEqualByComparingTo(new BigDecimal("0.833333333333"));
            // d1 (150.00) splits 2/5 : 7/15 : 3/5 : 1/5 = 6 : 7 : 9 : 3 of 25 → 36.00, 42.00, 54.00, 18.00.
            // d2 (220.00) splits email 7/15 : search 2/5 = 7 : 6 → 118.4615 / 101.5385 → 118.46 / 101.54.
            // search 36 + 101.54 = 137.54; email 42 + 118.46 + 10 = 170.46; social 54 + 50 + 40 = 144.00; webinar 18.00.
            assertThat(revenue(markov)).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "search", "137.54", "email", "170.46", "social", "144.00", "webinar", "18.00"));
        }
    }

    @Test
    void shapley_matches_the_published_three_channel_example() {
        // "Data-Driven Marketing Attribution" (Towards Data Science; notebook tomgorb/misc): coalition worth
        // v(S) = share of journeys whose channel set lies in S; the article's Shapley values are
        // F 0.455, O 0.205, L 0.34 of the 100 conversions: 45.5, 20.5 and 34 conversions; at 3.00 a deal
        // 136.50, 61.50 and 102.00.
        try (Store store = AttributionFixtures.store("shapley_gorbinet")) {
            ModelResult shapley = model(store, AttributionModel.SHAPLEY);
            assertThat(conversions(shapley, 4)).containsExactlyInAnyOrderEntriesOf(Map.of("facebook", "45.5000", "organic", "20.5000", "linkedin", "34.0000"));
            assertThat(revenue(shapley)).containsExactlyInAnyOrderEntriesOf(Map.of("facebook", "136.50", "organic", "61.50", "linkedin", "102.00"));
        }
    }

    @Test
    void shapley_equals_the_coalition_formula_computed_independently() {
        // Brute force over all coalitions of journeys.sql's channels with the classic formula
        // φ_i = Σ_{S ⊆ N∖{i}} |S|! (n − |S| − 1)! / n! · (v(S ∪ {i}) − v(S)), v(S) = revenue of the paths whose channel set ⊆ S.
        try (Store store = AttributionFixtures.store("journeys")) {
            Map<Set<String>, BigDecimal> paths = new HashMap<>();
            paths.merge(new TreeSet<>(List.of("search", "email", "social", "webinar")), new BigDecimal("150.00"), BigDecimal::add);
            paths.merge(new TreeSet<>(List.of("email", "search")), new BigDecimal("220.00"), BigDecimal::add);
            paths.merge(new TreeSet<>(List.of("social")), new BigDecimal("90.00"), BigDecimal::add);
            paths.merge(new TreeSet<>(List.of("email")), new BigDecimal("10.00"), BigDecimal::add);
            Map<String, BigDecimal> expected = bruteForceShapley(List.of("email", "search", "social", "webinar"), paths);
            Map<String, String> actual = revenue(model(store, AttributionModel.SHAPLEY));
            expected.forEach((channel, value) -> assertThat(actual.get(channel)).as(channel).isEqualTo(value.setScale(2, RoundingMode.HALF_EVEN).toPlainString()));
        }
    }

    @Test
    void every_model_reconciles_to_the_cent_per_conversion_and_in_total() {
        try (Store store = AttributionFixtures.store("journeys")) {
            store.write("test", List.of("fact_conversion", "fact_touchpoint"), handle -> handle.execute("""
                    INSERT INTO fact_touchpoint VALUES
                        ('t9-1', 'j9', 'c9', NULL, 'search', 's-brand', TIMESTAMP '2025-06-01 10:00:00'),
                        ('t9-2', 'j9', 'c9', NULL, 'email', NULL, TIMESTAMP '2025-06-02 10:00:00'),
                        ('t9-3', 'j9', 'c9', NULL, 'social', NULL, TIMESTAMP '2025-06-03 10:00:00'),
                        ('t9-4', 'j9', 'c9', NULL, 'search', 's-generic', TIMESTAMP '2025-06-04 10:00:00'),
                        ('t9-5', 'j9', 'c9', NULL, 'webinar', NULL, TIMESTAMP '2025-06-05 10:00:00'),
                        ('t9-6', 'j9', 'c9', NULL, 'email', NULL, TIMESTAMP '2025-06-06 10:00:00');
                    INSERT INTO fact_conversion VALUES ('d9', 'j9', 'c9', 'core', 'NEW_BUSINESS', TIMESTAMP '2025-06-07 09:13:00', 100.01, 'USD')"""));
            AttributionService attribution = AttributionFixtures.service(store);
            AttributionReport report = attribution.report(AttributionQuery.of(List.of(AttributionModel.values()), AttributionGrouping.CAMPAIGN, AttributionSettings.DEFAULTS));
            assertThat(report.attributableRevenue()).isEqualByComparingTo("570.01");
            for (ModelResult result : report.models()) {
                assertThat(result.reconciled()).as(result.model().name()).isTrue();
                assertThat(result.attributedRevenue()).as(result.model().name()).isEqualByComparingTo("570.01");
                assertThat(result.attributedConversions()).as(result.model().name()).isEqualByComparingTo("6");
            }
            List<String> unbalanced = store.jdbi().withHandle(handle -> handle.createQuery("""
                    SELECT c.model || ' ' || c.conversion_id FROM attribution_credit c
                    JOIN attribution_conversion v USING (build_id, conversion_id)
                    GROUP BY c.model, c.conversion_id, v.amount_reporting
                    HAVING sum(c.attributed_amount) <> v.amount_reporting OR sum(c.credit) <> 1""").mapTo(String.class).list());
            assertThat(unbalanced).isEmpty();
            // d9 under LINEAR: 100.01 over 6 touches = 16.668333 → 16.66 each (99.96) and the 5 missing cents to the
            // 5 largest remainders; all remainders tie (.8333), so the five earliest touches get 16.67, the last 16.66.
            AttributionJourney journey = attribution.journey("d9", List.of(AttributionModel.LINEAR), AttributionSettings.DEFAULTS);
            assertThat(journey.touches()).extracting(touch -> touch.credits().get(0).revenue().toPlainString())
                    .containsExactly("16.67", "16.67", "16.67", "16.67", "16.67", "16.66");
        }
    }

    private static Map<String, BigDecimal> bruteForceShapley(List<String> players, Map<Set<String>, BigDecimal> paths) {
        int n = players.size();
        Map<String, BigDecimal> result = new HashMap<>();
        for (String player : players) {
            BigDecimal value = BigDecimal.ZERO;
            List<String> others = new ArrayList<>(players);
            others.remove(player);
            for (int mask = 0; mask < 1 << others.size(); mask++) {
                Set<String> coalition = new TreeSet<>();
                for (int bit = 0; bit < others.size(); bit++) {
                    if ((mask & 1 << bit) != 0) {
                        coalition.add(others.get(bit));
                    }
                }
                Set<String> with = new TreeSet<>(coalition);
                with.add(player);
                BigDecimal marginal = worth(with, paths).subtract(worth(coalition, paths));
                BigDecimal weight = new BigDecimal(factorial(coalition.size()) * factorial(n - coalition.size() - 1));
                value = value.add(marginal.multiply(weight));
            }
            result.put(player, value.divide(new BigDecimal(factorial(n)), 10, RoundingMode.HALF_EVEN));
        }
        return result;
    }

    private static BigDecimal worth(Set<String> coalition, Map<Set<String>, BigDecimal> paths) {
        return paths.entrySet().stream().filter(path -> coalition.containsAll(path.getKey())).map(Map.Entry::getValue).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static long factorial(int n) {
        return n <= 1 ? 1 : n * factorial(n - 1);
    }

    private static ModelResult markov(Store store) {
        return model(store, AttributionModel.MARKOV);
    }

    private static ModelResult model(Store store, AttributionModel model) {
        return AttributionFixtures.service(store).report(AttributionQuery.of(List.of(model), AttributionGrouping.CHANNEL, AttributionSettings.DEFAULTS))
                .models().get(0);
    }

    private static Map<String, String> effects(ModelResult result) {
        return result.removalEffects().stream().collect(Collectors.toMap(RemovalEffect::channel,
                effect -> effect.removalEffect().setScale(6, RoundingMode.HALF_EVEN).toPlainString()));
    }

    private static Map<String, String> conversions(ModelResult result) {
        return conversions(result, 6);
    }

    private static Map<String, String> conversions(ModelResult result, int scale) {
        return result.rows().stream().collect(Collectors.toMap(Row::key, row -> row.attributedConversions().setScale(scale, RoundingMode.HALF_EVEN).toPlainString()));
    }

    private static Map<String, String> revenue(ModelResult result) {
        return result.rows().stream().collect(Collectors.toMap(Row::key, row -> row.attributedRevenue().toPlainString()));
    }
}
