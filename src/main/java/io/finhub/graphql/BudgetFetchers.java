package io.finhub.graphql;

import static io.finhub.graphql.GraphqlArguments.enumValue;
import static io.finhub.graphql.GraphqlArguments.strings;
import static java.util.Objects.requireNonNull;

import graphql.schema.DataFetcher;
import graphql.schema.idl.RuntimeWiring;
import io.finhub.budget.BudgetDimension;
import io.finhub.budget.BudgetVarianceQueries;
import io.finhub.budget.BudgetVarianceRequest;
import io.finhub.budget.BudgetVarianceRequest.BudgetVersion;
import io.finhub.budget.BudgetVarianceRow;
import io.finhub.catalog.MetricsRequest.Filter;
import io.finhub.store.FiscalCalendar;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code budgetVariance}: parses, calls {@link BudgetVarianceQueries}, returns. */
public final class BudgetFetchers implements GraphqlModule {
    private static final Map<String, String> KEY_FIELDS = Map.of("department", "department", "account", "account", "accountType", "accountType",
            "costType", "costType", "campaign", "campaign", "product", "product");
    private static final Map<String, String> LABEL_FIELDS = Map.of("departmentName", "department", "accountName", "account",
            "campaignName", "campaign", "productName", "product");

    private final BudgetVarianceQueries queries;
    private final FiscalCalendar calendar;
    private final Clock clock;

    public BudgetFetchers(BudgetVarianceQueries queries, FiscalCalendar calendar, Clock clock) {
        this.queries = requireNonNull(queries, "queries is null");
        this.calendar = requireNonNull(calendar, "calendar is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Query", type -> type.dataFetcher("budgetVariance", budgetVariance()));
        wiring.type("BudgetVarianceRow", type -> {
            KEY_FIELDS.forEach((field, dimension) -> type.dataFetcher(field, environment -> ((BudgetVarianceRow) environment.getSource()).keys().get(dimension)));
            LABEL_FIELDS.forEach((field, dimension) -> type.dataFetcher(field, environment -> ((BudgetVarianceRow) environment.getSource()).labels().get(dimension)));
            return type;
        });
    }

    private DataFetcher<BudgetVarianceQueries.Page> budgetVariance() {
        return environment -> {
            LocalDate[] range = CatalogFetchers.reportRange(environment, calendar);
            List<BudgetDimension> by = strings(environment.getArgument("by")).stream()
                    .map(value -> enumValue(BudgetDimension.class, value, "budget dimension"))
                    .toList();
            List<Filter> filters = CatalogFetchers.filters(environment.getArgument("filters"));
            LocalDate asOf = Optional.ofNullable(environment.<LocalDate>getArgument("asOf")).orElse(LocalDate.now(clock));
            Integer limit = environment.getArgument("limit");
            Integer offset = environment.getArgument("offset");
            return queries.budgetVariance(new BudgetVarianceRequest(by, Optional.ofNullable(range[0]), Optional.ofNullable(range[1]),
                    enumValue(BudgetVersion.class, environment.getArgument("version"), "budget version"), filters, asOf,
                    limit == null ? 1000 : limit, offset == null ? 0 : offset));
        };
    }
}
