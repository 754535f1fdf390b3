package io.finhub.forecast;

import io.finhub.catalog.CurrencyConversion;
import io.finhub.support.ClasspathResources;

/** The forecast SQL files next to this class, with their currency conversion filled in. */
final class ForecastSql {
    private static final String RENEWAL_CASES_TEMPLATE = ClasspathResources.read("io/finhub/forecast/renewal_cases.sql")
            .replace("{amount_reporting}", CurrencyConversion.convertedAmount("d.amount", "d.currency_code", "d.snapshot", "fxa"))
            .replace("{amount_fx_join}", CurrencyConversion.join("d.currency_code", "d.snapshot", "fxa"));
    /** Each contract's fields that do not depend on the as-of date (one row per contract). */
    static final String CONTRACTS = ClasspathResources.read("io/finhub/forecast/forecast_contracts.sql");
    /** Each renewal opportunity with the span of days it is its contract's latest. */
    static final String RENEWAL_SPANS = ClasspathResources.read("io/finhub/forecast/forecast_renewal_spans.sql");
    /** The latest renewal opportunity of each contract as of {@code :as_of}, from the opportunities themselves. */
    private static final String LATEST_RENEWAL = """
            -- All its fields from that one row (ties on created_on go to the larger opportunity id).
                SELECT contract_id, latest.opportunity_id, latest.stage, latest.amount, latest.currency_code, latest.closed_on,
                       latest.probability AS crm_probability
                FROM (SELECT contract_id, arg_max({'opportunity_id': opportunity_id, 'stage': stage, 'amount': amount, 'currency_code': currency_code,
                                                   'closed_on': closed_on, 'probability': probability}, (created_on, opportunity_id)) AS latest
                      FROM fact_renewal_pipeline
                      WHERE kind = 'RENEWAL' AND contract_id IS NOT NULL AND created_on <= :as_of
                      GROUP BY contract_id)""";
    /** The renewal cases computed from the facts alone. */
    static final String RENEWAL_CASES = renewalCases("true");
    static final String EXPANSIONS = ClasspathResources.read("io/finhub/forecast/expansion_opportunities.sql")
            .replace("{amount_reporting}", CurrencyConversion.convertedAmount("e.amount", "e.currency_code", ":as_of", "fxe"))
            .replace("{amount_fx_join}", CurrencyConversion.join("e.currency_code", ":as_of", "fxe"));

    private ForecastSql() {}

    /** The renewal cases of the contracts {@code caseFilter} (trusted SQL over the contracts {@code c}) keeps, from the facts alone. */
    static String renewalCases(String caseFilter) {
        return RENEWAL_CASES_TEMPLATE.replace("{contracts}", "(" + CONTRACTS + ")")
                .replace("{renewal}", LATEST_RENEWAL)
                .replace("{case_filter}", caseFilter);
    }

    /**
     * The cases as of a day before the stored cases' day that cannot be copied from them (see
     * {@code ForecastModels#stage}): a case can be copied when it was decided by the day, its term's
     * quarter started by then, and no renewal opportunity of its contract was created after the day,
     * which is when the day's latest opportunity is the contract's last one (no span follows it). Only
     * contracts ending on or after the day, and those with an opportunity created after it, can have
     * such a case; the others are not read (the stored contracts are in order of their end).
     */
    static String renewalCasesNotCopied(String contracts, String spans) {
        String candidates = """
                (SELECT * FROM %1$s WHERE end_date >= :as_of
                     UNION ALL
                     SELECT * FROM %1$s WHERE end_date < :as_of AND contract_id IN (SELECT contract_id FROM %2$s WHERE created_on > :as_of))"""
                .formatted(contracts, spans);
        String notCopied = "NOT coalesce(r.superseded_on IS NULL AND r.stage IN ('CLOSED_WON', 'CLOSED_LOST') AND r.closed_on <= :as_of "
                + "AND q.fiscal_quarter_start <= :as_of, false)";
        return renewalCases(notCopied, candidates, spans);
    }

    /**
     * The same cases read from {@code contracts} and {@code spans}, tables holding {@link #CONTRACTS}
     * and {@link #RENEWAL_SPANS} at the facts version the cases are of: the latest opportunity is a
     * filter on the spans instead of a grouping of every opportunity (on the m scale the two tables
     * save a third of a back-dated day's staging).
     */
    static String renewalCases(String caseFilter, String contracts, String spans) {
        return RENEWAL_CASES_TEMPLATE.replace("{contracts}", contracts)
                .replace("{renewal}", """
                        SELECT contract_id, opportunity_id, stage, amount, currency_code, closed_on, crm_probability, superseded_on
                            FROM %s
                            WHERE created_on <= :as_of AND (superseded_on IS NULL OR superseded_on > :as_of)""".formatted(spans))
                .replace("{case_filter}", caseFilter);
    }
}
