package io.finhub.graphql;

import static io.finhub.graphql.GraphqlArguments.objects;
import static java.util.Objects.requireNonNull;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import io.finhub.forecast.AdjustmentRequest;
import io.finhub.forecast.BudgetVarianceForecaster;
import io.finhub.forecast.FactorContribution;
import io.finhub.forecast.FactorWeight;
import io.finhub.forecast.ForecastAdjustment;
import io.finhub.forecast.ForecastBacktest;
import io.finhub.forecast.ForecastRequest;
import io.finhub.forecast.ForecastScenario;
import io.finhub.forecast.ForecastService;
import io.finhub.forecast.RenewalFactor;
import io.finhub.forecast.ScenarioResult;
import io.finhub.security.Caller;
import io.finhub.security.DepartmentAccess;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The forecast queries and {@code adjustForecast}: parse, call {@link ForecastService} / {@link BudgetVarianceForecaster}, return. */
public final class ForecastFetchers implements GraphqlModule {
    /** The request's answer of {@link ForecastService#seesCustomerSuccessActivities}, in its GraphQL context. */
    private static final String SEES_CUSTOMER_SUCCESS = ForecastFetchers.class.getName() + ".seesCustomerSuccess";

    private final ForecastService forecasts;
    private final BudgetVarianceForecaster budget;

    public ForecastFetchers(ForecastService forecasts, BudgetVarianceForecaster budget) {
        this.forecasts = requireNonNull(forecasts, "forecasts is null");
        this.budget = requireNonNull(budget, "budget is null");
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Query", type -> type
                .dataFetcher("portfolioForecast", environment -> forecasts.portfolio(request(environment)))
                .dataFetcher("forecast", environment -> forecasts.forecast(environment.getArgument("customerId"), request(environment)))
                .dataFetcher("renewalModel", environment -> forecasts.model(Optional.ofNullable(environment.getArgument("asOf"))).orElse(null))
                .dataFetcher("forecastAdjustments", environment -> forecasts.adjustments(environment.getArgument("customerId")))
                .dataFetcher("forecastBacktest", environment -> forecasts.backtest(budget))
                .dataFetcher("budgetVarianceForecast", environment -> budget.forecast(environment.<Integer>getArgument("fiscalYear"),
                        Optional.ofNullable(environment.getArgument("fiscalQuarter")), Optional.ofNullable(environment.getArgument("asOf")))));
        wiring.type("Mutation", type -> type.dataFetcher("adjustForecast", environment -> forecasts.adjust(adjustment(environment.getArgument("input")))));
        wiring.type("ScenarioResult", type -> type
                .dataFetcher("name", environment -> environment.<ScenarioResult>getSource().scenario().name())
                .dataFetcher("healthShift", environment -> environment.<ScenarioResult>getSource().scenario().healthShift())
                .dataFetcher("churnShock", environment -> environment.<ScenarioResult>getSource().scenario().churnShock())
                .dataFetcher("segment", environment -> environment.<ScenarioResult>getSource().scenario().segment().orElse(null)));
        wiring.type("FactorContribution", type -> type
                .dataFetcher("factor", environment -> environment.<FactorContribution>getSource().factor().name())
                .dataFetcher("description", environment -> environment.<FactorContribution>getSource().factor().description())
                .dataFetcher("value", environment -> visible(environment) ? environment.<FactorContribution>getSource().value() : null)
                .dataFetcher("contribution", environment -> visible(environment) ? environment.<FactorContribution>getSource().contribution() : null));
        wiring.type("FactorWeight", type -> type.dataFetcher("factor", environment -> environment.<FactorWeight>getSource().factor().name()));
        wiring.type("ForecastAdjustment", type -> type
                .dataFetcher("adjustedAt", environment -> RealizationFetchers.utc(environment.<ForecastAdjustment>getSource().adjustedAt())));
        wiring.type("ForecastBacktest", type -> type
                .dataFetcher("computedAt", environment -> RealizationFetchers.utc(environment.<ForecastBacktest>getSource().computedAt())));
    }

    /**
     * Whether the caller may see this factor's value for the line's customer (and its contribution, from which the value
     * follows): the factors counted from customer-success activities only for a caller who sees every programme's
     * department (see {@link ForecastService#seesCustomerSuccessActivities}); decided once per request.
     */
    private boolean visible(DataFetchingEnvironment environment) {
        RenewalFactor factor = environment.<FactorContribution>getSource().factor();
        if (factor != RenewalFactor.ESCALATIONS_180D && factor != RenewalFactor.SUCCESS_PROGRAMME_180D) {
            return true;
        }
        DepartmentAccess access = Caller.current().departments();
        return !access.restricted() || environment.getGraphQlContext().computeIfAbsent(SEES_CUSTOMER_SUCCESS,
                key -> forecasts.seesCustomerSuccessActivities(access));
    }

    private static ForecastRequest request(DataFetchingEnvironment environment) {
        Integer quarters = environment.getArgument("horizonQuarters");
        Object scenarios = environment.getArgument("scenarios");
        return new ForecastRequest(Optional.ofNullable(environment.getArgument("asOf")), quarters == null ? ForecastService.MAX_HORIZON_QUARTERS : quarters,
                Optional.ofNullable(scenarios).map(ForecastFetchers::scenarios));
    }

    private static List<ForecastScenario> scenarios(Object value) {
        return objects(value).stream()
                .map(scenario -> new ForecastScenario(RealizationFetchers.required(scenario, "name"),
                        ((Number) scenario.getOrDefault("healthShift", 0)).intValue(), Optional.ofNullable((String) scenario.get("segment")),
                        Optional.ofNullable((BigDecimal) scenario.get("churnShock")).orElse(BigDecimal.ZERO)))
                .toList();
    }

    static AdjustmentRequest adjustment(Map<String, Object> input) {
        return new AdjustmentRequest(Optional.ofNullable((String) input.get("contractId")), Optional.ofNullable((String) input.get("opportunityId")),
                Optional.ofNullable((BigDecimal) input.get("probability")), Optional.ofNullable((BigDecimal) input.get("amount")),
                Boolean.TRUE.equals(input.get("clear")), RealizationFetchers.required(input, "reason"), RealizationFetchers.required(input, "adjustedBy"),
                RealizationFetchers.evidence(input.get("evidence")));
    }
}
