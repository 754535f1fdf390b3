package io.finhub.graphql;

import static io.finhub.graphql.GraphqlArguments.enumValue;
import static io.finhub.graphql.GraphqlArguments.strings;
import static java.util.Objects.requireNonNull;

import graphql.schema.DataFetcher;
import graphql.schema.idl.RuntimeWiring;
import io.finhub.attribution.AttributionModel;
import io.finhub.roi.InvestmentRoiQueries;
import io.finhub.roi.RoiDimension;
import io.finhub.roi.RoiQueries;
import io.finhub.roi.RoiRow;
import io.finhub.roi.UnitEconomics;
import io.finhub.store.FiscalCalendar;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code roi}, {@code productRoi}, {@code retentionRoi}: parse, call, return. */
public final class RoiFetchers implements GraphqlModule {
    private static final Map<String, String> KEY_FIELDS = Map.of("channel", "channel", "channelGroup", "channelGroup", "campaign", "campaign",
            "product", "product", "department", "department", "segment", "segment");
    private static final Map<String, String> LABEL_FIELDS = Map.of("channelName", "channel", "campaignName", "campaign", "productName", "product",
            "departmentName", "department");

    private final RoiQueries roi;
    private final InvestmentRoiQueries investments;
    private final FiscalCalendar calendar;
    private final Clock clock;

    public RoiFetchers(RoiQueries roi, InvestmentRoiQueries investments, FiscalCalendar calendar, Clock clock) {
        this.roi = requireNonNull(roi, "roi is null");
        this.investments = requireNonNull(investments, "investments is null");
        this.calendar = requireNonNull(calendar, "calendar is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Query", type -> type
                .dataFetcher("roi", roi())
                .dataFetcher("productRoi", environment -> investments.productRoi(asOf(environment.getArgument("asOf"))))
                .dataFetcher("retentionRoi", environment -> investments.retentionRoi(environment.getArgument("from"), environment.getArgument("to"),
                        environment.<Integer>getArgument("lookbackDays"))));
        wiring.type("RoiRow", type -> {
            KEY_FIELDS.forEach((field, dimension) -> type.dataFetcher(field, environment -> ((RoiRow) environment.getSource()).keys().get(dimension)));
            LABEL_FIELDS.forEach((field, dimension) -> type.dataFetcher(field, environment -> ((RoiRow) environment.getSource()).labels().get(dimension)));
            return type;
        });
        wiring.type("UnitEconomics", type -> type
                .dataFetcher("arpa", environment -> ((UnitEconomics) environment.getSource()).arpa().orElse(null))
                .dataFetcher("grossMarginPct", environment -> ((UnitEconomics) environment.getSource()).grossMarginPct().orElse(null))
                .dataFetcher("monthlyChurnPct", environment -> ((UnitEconomics) environment.getSource()).monthlyChurnPct().orElse(null))
                .dataFetcher("ltv", environment -> ((UnitEconomics) environment.getSource()).ltv().orElse(null)));
    }

    private DataFetcher<RoiQueries.Page> roi() {
        return environment -> {
            LocalDate[] range = CatalogFetchers.reportRange(environment, calendar);
            List<RoiDimension> by = strings(environment.getArgument("by")).stream()
                    .map(value -> enumValue(RoiDimension.class, value, "ROI dimension"))
                    .toList();
            Integer limit = environment.getArgument("limit");
            Integer offset = environment.getArgument("offset");
            return roi.roi(new RoiQueries.Request(by, Optional.ofNullable(range[0]), Optional.ofNullable(range[1]),
                    enumValue(AttributionModel.class, environment.getArgument("model"), "attribution model"),
                    CatalogFetchers.filters(environment.getArgument("filters")), asOf(environment.getArgument("asOf")),
                    limit == null ? 1000 : limit, offset == null ? 0 : offset));
        };
    }

    private LocalDate asOf(LocalDate argument) {
        return argument == null ? LocalDate.now(clock) : argument;
    }
}
