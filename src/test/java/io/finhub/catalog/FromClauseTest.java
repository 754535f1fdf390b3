package io.finhub.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FromClauseTest {
    private static final String FROM = "(SELECT * FROM attribution_fact WHERE build_id = 'default') f "
            + "LEFT JOIN dim_channel ch ON ch.channel_id = f.channel_id "
            + "LEFT JOIN dim_customer cu ON cu.customer_id = f.customer_id "
            + "LEFT JOIN dim_campaign cp ON cp.campaign_id = f.campaign_id";

    @Test
    void dimension_joins_nobody_reads_are_left_out() {
        assertThat(FromClause.pruned(FROM, "sum(f.credit) AS m0 TRUE AND f.converted_at >= :range_from"))
                .isEqualTo("(SELECT * FROM attribution_fact WHERE build_id = 'default') f");
        assertThat(FromClause.pruned(FROM, "cu.segment AS d0, sum(f.credit) AS m0"))
                .isEqualTo("(SELECT * FROM attribution_fact WHERE build_id = 'default') f LEFT JOIN dim_customer cu ON cu.customer_id = f.customer_id");
        assertThat(FromClause.pruned(FROM, "f.model AS d0 WHERE cp.department_id IN (SELECT 1)")).endsWith("LEFT JOIN dim_campaign cp ON cp.campaign_id = f.campaign_id")
                .doesNotContain("dim_channel").doesNotContain("dim_customer");
        // An alias that merely ends like another one (xcu.) does not keep cu.
        assertThat(FromClause.pruned(FROM, "xcu.segment")).doesNotContain("dim_customer");
    }

    @Test
    void a_join_another_kept_join_depends_on_is_kept() {
        String from = "fact_conversion f LEFT JOIN dim_customer cu ON cu.customer_id = f.customer_id "
                + "LEFT JOIN dim_channel ch ON ch.channel_id = cu.acquisition_channel_id";
        assertThat(FromClause.pruned(from, "ch.channel_group AS d0")).isEqualTo(from);
        assertThat(FromClause.pruned(from, "count(*)")).isEqualTo("fact_conversion f");
    }

    @Test
    void inner_joins_and_joins_inside_parentheses_are_always_kept() {
        String inner = "fact_budget f JOIN dim_gl_account a ON a.account_id = f.account_id";
        assertThat(FromClause.pruned(inner, "sum(f.amount)")).isEqualTo(inner);
        String nested = "(SELECT x.* FROM t x LEFT JOIN dim_channel ch ON ch.channel_id = x.channel_id) f";
        assertThat(FromClause.pruned(nested, "count(*)")).isEqualTo(nested);
        String mixed = "fact_spend f LEFT JOIN dim_channel ch ON ch.channel_id = f.channel_id JOIN dim_department d ON d.department_id = f.department_id";
        assertThat(FromClause.pruned(mixed, "count(*)")).isEqualTo(mixed);
    }
}
