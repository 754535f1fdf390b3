package io.finhub.graphql;

import static io.finhub.graphql.GraphqlArguments.enumValue;
import static java.util.Objects.requireNonNull;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import io.finhub.revenue.CustomerBreakdown;
import io.finhub.revenue.RevenueQueries;
import java.util.Optional;

/** MRR movements, retention and recognised revenue: parse, call {@link RevenueQueries}, return. */
public final class RevenueFetchers implements GraphqlModule {
    private final RevenueQueries queries;

    public RevenueFetchers(RevenueQueries queries) {
        this.queries = requireNonNull(queries, "queries is null");
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Query", type -> type
                .dataFetcher("mrrMovements", environment -> queries.mrrMovements(environment.getArgument("from"), environment.getArgument("to"),
                        breakdown(environment)))
                .dataFetcher("retention", environment -> queries.retention(environment.getArgument("startMonth"), environment.getArgument("endMonth"),
                        breakdown(environment)))
                .dataFetcher("recognizedRevenue", environment -> queries.recognizedRevenue(environment.getArgument("from"), environment.getArgument("to"))));
    }

    private static Optional<CustomerBreakdown> breakdown(DataFetchingEnvironment environment) {
        return Optional.ofNullable(environment.getArgument("by")).map(value -> enumValue(CustomerBreakdown.class, value, "customer breakdown"));
    }
}
