package io.finhub.budget;

import io.finhub.catalog.ReportDimension;
import io.finhub.store.TimeGrain;
import java.util.Optional;

/** What a budget-against-actual report can be broken down by. */
public enum BudgetDimension implements ReportDimension {
    DEPARTMENT("department", null),
    ACCOUNT("account", null),
    ACCOUNT_TYPE("accountType", null),
    COST_TYPE("costType", null),
    CAMPAIGN("campaign", null),
    PRODUCT("product", null),
    MONTH(null, TimeGrain.MONTH),
    QUARTER(null, TimeGrain.QUARTER),
    YEAR(null, TimeGrain.YEAR);

    private final String catalogDimension;
    private final TimeGrain grain;

    BudgetDimension(String catalogDimension, TimeGrain grain) {
        this.catalogDimension = catalogDimension;
        this.grain = grain;
    }

    @Override
    public Optional<String> catalogDimension() {
        return Optional.ofNullable(catalogDimension);
    }

    @Override
    public Optional<TimeGrain> grain() {
        return Optional.ofNullable(grain);
    }
}
