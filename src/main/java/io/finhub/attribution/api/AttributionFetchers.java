package io.finhub.attribution.api;

import static java.util.Objects.requireNonNull;

import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import io.finhub.attribution.AttributionCsService;
import io.finhub.attribution.AttributionGrouping;
import io.finhub.attribution.AttributionJourney;
import io.finhub.attribution.AttributionModel;
import io.finhub.attribution.AttributionPeriod;
import io.finhub.attribution.AttributionQuery;
import io.finhub.attribution.AttributionReport;
import io.finhub.attribution.AttributionReport.ComparisonRow;
import io.finhub.attribution.AttributionService;
import io.finhub.graphql.GraphqlArguments;
import io.finhub.graphql.GraphqlModule;
import io.finhub.security.Caller;
import io.finhub.store.FiscalCalendar;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

/** Fetchers of {@code schema/graphql/20_attribution.graphqls}: each parses its arguments, calls the domain, returns. */
public final class AttributionFetchers implements GraphqlModule {
    private final AttributionService attribution;
    private final AttributionCsService customerSuccess;
    private final FiscalCalendar calendar;

    public AttributionFetchers(AttributionService attribution, AttributionCsService customerSuccess, FiscalCalendar calendar) {
        this.attribution = requireNonNull(attribution, "attribution is null");
        this.customerSuccess = requireNonNull(customerSuccess, "customerSuccess is null");
        this.calendar = requireNonNull(calendar, "calendar is null");
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Query", type -> type
                .dataFetcher("attribution", report())
                .dataFetcher("attributionJourney", journey())
                .dataFetcher("portfolio", environment -> customerSuccess.portfolio(AttributionPeriod.parse(environment.getArgument("period"), calendar))));
        wiring.type("Mutation", type -> type
                .dataFetcher("attribute", environment -> customerSuccess.record(environment.getArgument("customerId"),
                        AttributionInputs.outcome(environment.getArgument("input")))));
        wiring.type("AttributionReport", type -> type
                .dataFetcher("groupBy", environment -> report(environment).grouping())
                .dataFetcher("lookbackDays", environment -> report(environment).settings().lookbackDays())
                .dataFetcher("halfLifeDays", environment -> report(environment).settings().halfLifeDays())
                .dataFetcher("from", environment -> report(environment).from().orElse(null))
                .dataFetcher("to", environment -> report(environment).to().orElse(null)));
        wiring.type("AttributionComparisonRow", type -> type
                .dataFetcher("models", environment -> comparison(environment).values().values().stream().toList())
                .dataFetcher("model", environment -> comparison(environment).values()
                        .get(AttributionInputs.enumValue(AttributionModel.class, environment.getArgument("model"), "model"))));
        wiring.type("AttributionJourney", type -> type
                .dataFetcher("convertedAt", environment -> utc(((AttributionJourney) environment.getSource()).convertedAt()))
                .dataFetcher("lookbackDays", environment -> ((AttributionJourney) environment.getSource()).settings().lookbackDays())
                .dataFetcher("halfLifeDays", environment -> ((AttributionJourney) environment.getSource()).settings().halfLifeDays()));
        wiring.type("AttributionTouch", type -> type
                .dataFetcher("touchedAt", environment -> utc(((AttributionJourney.Touch) environment.getSource()).touchedAt())));
    }

    private DataFetcher<AttributionReport> report() {
        return environment -> attribution.report(query(environment), Caller.current().departments());
    }

    private DataFetcher<AttributionJourney> journey() {
        return environment -> attribution.journey(environment.getArgument("conversionId"), AttributionInputs.models(environment.getArgument("models")),
                AttributionInputs.settings(attribution.configuredSettings(), environment.getArgument("lookbackDays"), environment.getArgument("halfLifeDays")),
                Caller.current().departments());
    }

    private AttributionQuery query(DataFetchingEnvironment environment) {
        AttributionQuery query = new AttributionQuery(AttributionInputs.models(environment.getArgument("models")),
                AttributionInputs.enumValue(AttributionGrouping.class, environment.getArgument("groupBy"), "groupBy"),
                Optional.empty(), Optional.empty(),
                AttributionInputs.list(environment.getArgument("dealTypes"), "dealTypes").stream().map(String::valueOf).toList(),
                AttributionInputs.settings(attribution.configuredSettings(), environment.getArgument("lookbackDays"), environment.getArgument("halfLifeDays")));
        Map<String, Object> period = environment.getArgument("period");
        if (period == null) {
            return query;
        }
        LocalDate[] range = GraphqlArguments.period(period, calendar);
        return query.withRange(range[0], range[1]);
    }

    private static AttributionReport report(DataFetchingEnvironment environment) {
        return environment.getSource();
    }

    private static ComparisonRow comparison(DataFetchingEnvironment environment) {
        return environment.getSource();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
