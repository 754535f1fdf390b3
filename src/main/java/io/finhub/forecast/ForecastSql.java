package io.finhub.forecast;

import io.finhub.catalog.CurrencyConversion;
import io.finhub.support.ClasspathResources;
import java.util.List;

/** The forecast SQL files next to this class, with their currency conversion filled in. */
final class ForecastSql {
    /** The decided, renewed, amount and currency columns of a case, over its contract c and renewal opportunity r. */
    private static final String CASE_OUTCOME = ClasspathResources.read("io/finhub/forecast/renewal_case_outcome.sql");
    /** The columns of a case after its identity, over the dated case d, its signals hs, u and a, and the rate fxa. */
    private static final String CASE_SIGNALS = ClasspathResources.read("io/finhub/forecast/renewal_case_signals.sql")
            .replace("{amount_reporting}", CurrencyConversion.convertedAmount("d.amount", "d.currency_code", "d.snapshot", "fxa"));
    private static final String CASE_FX_JOIN = CurrencyConversion.join("d.currency_code", "d.snapshot", "fxa");
    /** The definition of the renewal cases, from the facts alone. */
    private static final String FROM_FACTS = fill(ClasspathResources.read("io/finhub/forecast/renewal_cases.sql"));
    /** The same cases from the tables a renewal build stores (see {@link Stored}). */
    private static final String FROM_STORED = fill(ClasspathResources.read("io/finhub/forecast/renewal_cases_stored.sql"));
    /** Each contract's fields that do not depend on the as-of date (one row per contract). */
    static final String CONTRACTS = ClasspathResources.read("io/finhub/forecast/forecast_contracts.sql");
    /** Each renewal opportunity with the span of days it is its contract's latest. */
    static final String RENEWAL_SPANS = ClasspathResources.read("io/finhub/forecast/forecast_renewal_spans.sql");
    /** Each health score and each utilisation reading with the span of days it is the latest. */
    static final String HEALTH_SPANS = ClasspathResources.read("io/finhub/forecast/forecast_health_spans.sql");
    static final String USAGE_SPANS = ClasspathResources.read("io/finhub/forecast/forecast_usage_spans.sql");

    /**
     * The tables the renewal build stores beside the cases, all of one facts version: the contracts
     * ({@link #CONTRACTS}) numbered by contract ({@code contract_no}) and customer ({@code customer_no}),
     * and, keyed by those numbers, the renewal opportunities, health scores and utilisation readings with
     * their spans, and the customer-success activities with what kind of signal each is.
     */
    record Stored(String contracts, String renewalSpans, String healthSpans, String usageSpans, String activities) {
        /** The statements that store the tables, in order (the others take their keys from the contracts). */
        List<String> creation() {
            String customers = "(SELECT DISTINCT customer_no, customer_id FROM %s)".formatted(contracts);
            return List.of("""
                            CREATE OR REPLACE TABLE %s AS
                            SELECT CAST(row_number() OVER (ORDER BY contract_id) AS INTEGER) AS contract_no,
                                   CAST(dense_rank() OVER (ORDER BY customer_id) AS INTEGER) AS customer_no, *
                            FROM (%s) ORDER BY end_date""".formatted(contracts, CONTRACTS),
                    """
                            CREATE OR REPLACE TABLE %s AS
                            SELECT CAST(row_number() OVER () AS INTEGER) AS span_no, f.contract_no, s.*
                            FROM (%s) s JOIN %s f ON f.contract_id = s.contract_id""".formatted(renewalSpans, RENEWAL_SPANS, contracts),
                    """
                            CREATE OR REPLACE TABLE %s AS
                            SELECT k.customer_no, s.* FROM (%s) s JOIN %s k ON k.customer_id = s.customer_id ORDER BY s.scored_on"""
                            .formatted(healthSpans, HEALTH_SPANS, customers),
                    """
                            CREATE OR REPLACE TABLE %s AS
                            SELECT f.contract_no, s.* FROM (%s) s JOIN %s f ON f.contract_id = s.contract_id ORDER BY s.measured_on"""
                            .formatted(usageSpans, USAGE_SPANS, contracts),
                    """
                            CREATE OR REPLACE TABLE %s AS
                            SELECT k.customer_no, a.occurred_on, p.activity_type = 'ESCALATION' AS escalation,
                                   p.activity_type IN ('SUCCESS_PLAN', 'TRAINING') AS programme
                            FROM fact_cs_activity a
                            JOIN dim_cs_program p ON p.program_id = a.program_id
                            JOIN %s k ON k.customer_id = a.customer_id
                            ORDER BY a.occurred_on""".formatted(activities, customers));
        }
    }

    /** The renewal cases computed from the facts alone. */
    static final String RENEWAL_CASES = renewalCases("true");
    /** The renewal lines (see {@code ForecastService}), each amount converted at the as-of date's rate. */
    static final String RENEWAL_LINES = ClasspathResources.read("io/finhub/forecast/renewal_lines.sql")
            .replace("{amount_reporting}", CurrencyConversion.convertedAmount("c.amount", "c.currency_code", ":as_of", "fxl"))
            .replace("{amount_fx_join}", CurrencyConversion.join("c.currency_code", ":as_of", "fxl"));
    static final String EXPANSIONS = ClasspathResources.read("io/finhub/forecast/expansion_opportunities.sql")
            .replace("{amount_reporting}", CurrencyConversion.convertedAmount("e.amount", "e.currency_code", ":as_of", "fxe"))
            .replace("{amount_fx_join}", CurrencyConversion.join("e.currency_code", ":as_of", "fxe"));

    private ForecastSql() {}

    /** The renewal cases of the contracts {@code caseFilter} (trusted SQL over the contracts {@code c}) keeps, from the facts alone. */
    static String renewalCases(String caseFilter) {
        return FROM_FACTS.replace("{contracts}", "(" + CONTRACTS + ")").replace("{case_filter}", caseFilter);
    }

    /**
     * The cases as of a day before the stored cases' day that cannot be copied from them (see
     * {@code ForecastModels#stage}): a case can be copied when it was decided by the day, its term's
     * quarter started by then, and no renewal opportunity of its contract was created after the day,
     * which is when the day's latest opportunity is the contract's last one (no span follows it). Only
     * contracts ending on or after the day, and those with an opportunity created after it, can have
     * such a case; the others are not read (the stored contracts are in order of their end).
     */
    static String renewalCasesNotCopied(Stored stored) {
        String candidates = """
                (SELECT * FROM %1$s WHERE end_date >= :as_of
                     UNION ALL
                     SELECT * FROM %1$s WHERE end_date < :as_of AND contract_no IN (SELECT contract_no FROM %2$s WHERE created_on > :as_of))"""
                .formatted(stored.contracts(), stored.renewalSpans());
        String notCopied = "NOT coalesce(r.superseded_on IS NULL AND r.stage IN ('CLOSED_WON', 'CLOSED_LOST') AND r.closed_on <= :as_of "
                + "AND q.fiscal_quarter_start <= :as_of, false)";
        return renewalCases(notCopied, candidates, stored);
    }

    /** The same cases as {@link #renewalCases(String)}, from the {@code stored} tables (of the facts version the cases are of). */
    static String renewalCases(String caseFilter, Stored stored) {
        return renewalCases(caseFilter, stored.contracts(), stored);
    }

    private static String renewalCases(String caseFilter, String contracts, Stored stored) {
        return FROM_STORED.replace("{contracts}", contracts)
                .replace("{contract_table}", stored.contracts())
                .replace("{renewal_spans}", stored.renewalSpans())
                .replace("{health_spans}", stored.healthSpans())
                .replace("{usage_spans}", stored.usageSpans())
                .replace("{activities}", stored.activities())
                .replace("{case_filter}", caseFilter);
    }

    /** A cases SQL with the parts both share filled in. */
    private static String fill(String sql) {
        return sql.replace("{case_outcome}", CASE_OUTCOME.strip()).replace("{case_signals}", CASE_SIGNALS.strip()).replace("{amount_fx_join}", CASE_FX_JOIN);
    }
}
