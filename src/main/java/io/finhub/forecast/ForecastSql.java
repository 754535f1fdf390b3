package io.finhub.forecast;

import io.finhub.catalog.CurrencyConversion;
import io.finhub.support.ClasspathResources;

/** The forecast SQL files next to this class, with their currency conversion filled in. */
final class ForecastSql {
    private static final String RENEWAL_CASES_FILTERED = ClasspathResources.read("io/finhub/forecast/renewal_cases.sql")
            .replace("{amount_reporting}", CurrencyConversion.convertedAmount("d.amount", "d.currency_code", "d.snapshot", "fxa"))
            .replace("{amount_fx_join}", CurrencyConversion.join("d.currency_code", "d.snapshot", "fxa"));
    static final String RENEWAL_CASES = renewalCases("true");
    static final String EXPANSIONS = ClasspathResources.read("io/finhub/forecast/expansion_opportunities.sql")
            .replace("{amount_reporting}", CurrencyConversion.convertedAmount("e.amount", "e.currency_code", ":as_of", "fxe"))
            .replace("{amount_fx_join}", CurrencyConversion.join("e.currency_code", ":as_of", "fxe"));

    private ForecastSql() {}

    /** The renewal cases of the contracts {@code caseFilter} (trusted SQL over {@code dim_contract c}) keeps. */
    static String renewalCases(String caseFilter) {
        return RENEWAL_CASES_FILTERED.replace("{case_filter}", caseFilter);
    }
}
