package io.finhub.roi;

import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.TestStores;
import io.finhub.store.Store;
import io.finhub.support.ClasspathResources;
import io.finhub.support.SqlScripts;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each lead's first touch: the earliest, and at a tie the smallest touchpoint id, whole (its channel with its campaign). */
class LeadFirstTouchTest {
    @Test
    void the_first_touch_of_each_lead_is_one_touch_chosen_the_same_way_every_time() {
        try (Store store = TestStores.withFixture("tiny_company")) {
            store.write("test", List.of("fact_touchpoint"), handle -> handle.execute("""
                    INSERT INTO fact_touchpoint VALUES
                        ('t-b', 'j1', NULL, 'lead-1', 'search', 's-q1', TIMESTAMP '2025-03-01 09:00:00'),
                        ('t-a', 'j1', NULL, 'lead-1', 'email', NULL, TIMESTAMP '2025-03-01 09:00:00'),
                        ('t-c', 'j1', NULL, 'lead-1', 'search', 's-q1', TIMESTAMP '2025-03-02 09:00:00'),
                        ('t-d', 'j2', NULL, 'lead-2', 'email', NULL, TIMESTAMP '2025-03-05 09:00:00'),
                        ('t-e', 'j2', NULL, 'lead-2', 'search', 's-q1', TIMESTAMP '2025-03-04 09:00:00')"""));
            List<String> first = store.jdbi().withHandle(handle -> {
                SqlScripts.execute(handle, ClasspathResources.read("io/finhub/roi/lead_first_touch.sql"));
                return handle.createQuery("""
                                SELECT lead_id || ' ' || CAST(first_touched_at AS VARCHAR) || ' ' || channel_id || ' ' || coalesce(campaign_id, '-')
                                FROM derived_lead_first_touch WHERE lead_id IN ('lead-1', 'lead-2') ORDER BY lead_id""")
                        .mapTo(String.class)
                        .list();
            });
            // lead-1: t-a and t-b both at 09:00 on 1 March; t-a is the smaller id, so email without a campaign (never search with t-a's missing campaign).
            assertThat(first).containsExactly("lead-1 2025-03-01 09:00:00 email -", "lead-2 2025-03-04 09:00:00 search s-q1");
        }
    }
}
