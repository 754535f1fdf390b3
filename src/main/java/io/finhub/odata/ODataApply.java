package io.finhub.odata;

import static java.util.Objects.requireNonNull;

import io.finhub.catalog.MetricsRequest.Filter;
import io.finhub.catalog.MetricsRequest.Operator;
import io.finhub.catalog.MetricsResult.MetricsRow;
import io.finhub.store.FiscalCalendar;
import io.finhub.store.TimeGrain;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.olingo.commons.api.edm.EdmPrimitiveType;
import org.apache.olingo.commons.api.edm.EdmPrimitiveTypeKind;
import org.apache.olingo.server.api.ODataApplicationException;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourcePrimitiveProperty;
import org.apache.olingo.server.api.uri.queryoption.ApplyItem;
import org.apache.olingo.server.api.uri.queryoption.ApplyOption;
import org.apache.olingo.server.api.uri.queryoption.apply.Aggregate;
import org.apache.olingo.server.api.uri.queryoption.apply.AggregateExpression;
import org.apache.olingo.server.api.uri.queryoption.apply.AggregateExpression.StandardMethod;
import org.apache.olingo.server.api.uri.queryoption.apply.GroupBy;
import org.apache.olingo.server.api.uri.queryoption.apply.GroupByItem;
import org.apache.olingo.server.api.uri.queryoption.expression.Binary;
import org.apache.olingo.server.api.uri.queryoption.expression.BinaryOperatorKind;
import org.apache.olingo.server.api.uri.queryoption.expression.Expression;
import org.apache.olingo.server.api.uri.queryoption.expression.Literal;
import org.apache.olingo.server.api.uri.queryoption.expression.Member;
import org.apache.olingo.server.api.uri.queryoption.expression.Unary;
import org.apache.olingo.server.api.uri.queryoption.expression.UnaryOperatorKind;

/**
 * {@code $apply} on a catalog view, answered by the catalog rather than by adding up the view's
 * rows: {@code groupby((Campaign), aggregate(RoiPct))} asks the catalog for ROI by campaign, so a
 * ratio or a distinct count is right for the group. Supported:
 * <ul>
 *   <li>{@code filter(...)} first, on dimension keys ({@code eq}, {@code ne}, {@code in}, {@code or}
 *       of {@code eq}, {@code not}) and on {@code Period} ({@code eq}, {@code lt}, {@code le},
 *       {@code gt}, {@code ge} a date), combined with {@code and}: they restrict the facts, as
 *       the catalog's filters and period do;</li>
 *   <li>then {@code groupby((properties))} with an optional {@code aggregate(...)}, or
 *       {@code aggregate(...)} alone: group by {@code Period}/{@code PeriodLabel} and dimension
 *       keys (a label only with its key); aggregate a measure by its own definition
 *       ({@code aggregate(RoiPct)}, the custom aggregate named after it) or, for an additive
 *       measure, {@code with sum as Alias}.</li>
 * </ul>
 * Anything else is refused with 501: min, max, average, countdistinct, $count, compute, nested
 * transformations, filters on labels or measures.
 *
 * <p>Groups are those of the view at the coarser grain (the catalog request keeps every measure of
 * the view), so a group exists exactly when the view has rows in it.
 */
final class ODataApply {
    private final ODataCatalogView view;
    private final List<ODataColumn> viewColumns;
    private final FiscalCalendar calendar;

    ODataApply(ODataEntitySet set, ODataCatalogView view, FiscalCalendar calendar) {
        this.view = requireNonNull(view, "view is null");
        this.viewColumns = requireNonNull(set, "set is null").columns();
        this.calendar = requireNonNull(calendar, "calendar is null");
    }

    /** A column of the result and how to read it from a catalog row. */
    private record Output(ODataColumn column, Function<MetricsRow, Object> value) {}

    /** The facts the aggregation reads: dimension filters and a date range, or nothing at all. */
    private static final class Constraints {
        final List<Filter> filters = new ArrayList<>();
        Optional<LocalDate> from = Optional.empty();
        Optional<LocalDate> to = Optional.empty();
        boolean empty;

        void from(LocalDate first) {
            from = Optional.of(from.filter(current -> current.isAfter(first)).orElse(first));
        }

        void to(LocalDate last) {
            to = Optional.of(to.filter(current -> current.isBefore(last)).orElse(last));
        }

        boolean nothing() {
            return empty || from.isPresent() && to.isPresent() && from.get().isAfter(to.get());
        }
    }

    ODataRelation aggregate(ApplyOption apply) throws ODataApplicationException {
        Constraints constraints = new Constraints();
        List<GroupByItem> groupBy = List.of();
        List<AggregateExpression> aggregates = List.of();
        boolean transformed = false;
        for (ApplyItem item : apply.getApplyItems()) {
            if (transformed) {
                throw ODataErrors.notImplemented("$apply takes filter(...) transformations followed by one groupby or aggregate");
            }
            switch (item.getKind()) {
                case FILTER -> constrain(((org.apache.olingo.server.api.uri.queryoption.apply.Filter) item).getFilterOption().getExpression(),
                        constraints);
                case GROUP_BY -> {
                    GroupBy group = (GroupBy) item;
                    groupBy = group.getGroupByItems();
                    aggregates = nestedAggregate(group.getApplyOption());
                    transformed = true;
                }
                case AGGREGATE -> {
                    aggregates = ((Aggregate) item).getExpressions();
                    transformed = true;
                }
                default -> throw ODataErrors.notImplemented("the $apply transformation " + item.getKind().name().toLowerCase()
                        + " is not supported; FinHub answers filter, groupby and aggregate");
            }
        }
        if (!transformed) {
            throw ODataErrors.notImplemented("$apply with filter(...) alone is not supported: use $filter");
        }
        List<Output> outputs = new ArrayList<>();
        List<String> dimensions = new ArrayList<>();
        boolean byPeriod = groupOutputs(groupBy, outputs, dimensions);
        for (AggregateExpression aggregate : aggregates) {
            outputs.add(aggregateOutput(aggregate));
        }
        List<MetricsRow> rows = constraints.nothing()
                ? List.of()
                : view.query(dimensions, byPeriod ? view.grain() : Optional.empty(), constraints.filters, constraints.from, constraints.to);
        List<Object[]> values = new ArrayList<>();
        for (MetricsRow row : rows) {
            Object[] value = new Object[outputs.size()];
            for (int index = 0; index < outputs.size(); index++) {
                value[index] = outputs.get(index).value().apply(row);
            }
            values.add(value);
        }
        return ODataRelation.computed(outputs.stream().map(Output::column).toList(), List.of(), values);
    }

    private static List<AggregateExpression> nestedAggregate(ApplyOption nested) throws ODataApplicationException {
        if (nested == null || nested.getApplyItems().isEmpty()) {
            return List.of();
        }
        if (nested.getApplyItems().size() != 1 || !(nested.getApplyItems().get(0) instanceof Aggregate aggregate)) {
            throw ODataErrors.notImplemented("groupby takes one aggregate(...) transformation");
        }
        return aggregate.getExpressions();
    }

    /** Adds the grouping columns; returns whether the rows are grouped by period. */
    private boolean groupOutputs(List<GroupByItem> items, List<Output> outputs, List<String> dimensions) throws ODataApplicationException {
        List<String> names = new ArrayList<>();
        for (GroupByItem item : items) {
            if (item.isRollupAll() || !item.getRollup().isEmpty()) {
                throw ODataErrors.notImplemented("rollup is not supported");
            }
            names.add(propertyName(item.getPath()).orElseThrow(() -> ODataErrors.notImplemented("group by properties of the view")));
        }
        boolean byPeriod = false;
        for (String name : names) {
            ODataColumn column = viewColumn(name);
            if (name.equals(ODataCatalogView.PERIOD)) {
                byPeriod = true;
                outputs.add(new Output(column, MetricsRow::period));
            }
            else if (name.equals(ODataCatalogView.PERIOD_LABEL)) {
                byPeriod = true;
                outputs.add(new Output(column, MetricsRow::periodLabel));
            }
            else if (view.keyOfLabel(name).isPresent()) {
                String key = view.keyOfLabel(name).get();
                if (!names.contains(key)) {
                    throw ODataErrors.notImplemented("group by " + name + " together with " + key + ": names need not be unique");
                }
                String dimension = view.dimensionOf(name).orElseThrow();
                outputs.add(new Output(column, row -> row.labels().get(dimension)));
            }
            else if (view.dimensionOf(name).isPresent()) {
                String dimension = view.dimensionOf(name).get();
                dimensions.add(dimension);
                outputs.add(new Output(column, row -> row.dimensions().get(dimension)));
            }
            else {
                throw ODataErrors.notImplemented("group by the period and dimensions; " + name + " is "
                        + (view.measureOf(name).isPresent() ? "a measure: aggregate it" : "not groupable"));
            }
        }
        return byPeriod;
    }

    private ODataColumn viewColumn(String name) throws ODataApplicationException {
        return viewColumns.stream().filter(column -> column.name().equals(name)).findFirst()
                .orElseThrow(() -> ODataErrors.badRequest("unknown property " + name));
    }

    private Output aggregateOutput(AggregateExpression aggregate) throws ODataApplicationException {
        if (aggregate.getInlineAggregateExpression() != null || !aggregate.getFrom().isEmpty() || aggregate.getCustomMethod() != null) {
            throw ODataErrors.notImplemented("aggregate(...) takes a measure, or an additive measure 'with sum as' an alias");
        }
        String column;
        String alias;
        if (aggregate.getExpression() == null) {
            column = propertyName(aggregate.getPath()).orElseThrow(() -> ODataErrors.notImplemented(
                    "$count and navigation are not supported in aggregate(...)"));
            alias = aggregate.getAlias() == null ? column : aggregate.getAlias();
        }
        else {
            if (aggregate.getStandardMethod() != StandardMethod.SUM || !(aggregate.getExpression() instanceof Member member)) {
                throw ODataErrors.notImplemented("only 'with sum' is supported (and aggregate(Measure), the measure for the group); min, max, "
                        + "average and countdistinct are not");
            }
            column = propertyName(member.getResourcePath().getUriResourceParts())
                    .orElseThrow(() -> ODataErrors.notImplemented("aggregate a measure of the view"));
            alias = aggregate.getAlias();
        }
        String measure = view.measureOf(column).orElseThrow(() -> ODataErrors.notImplemented(column + " is not a measure of this view; its measures: "
                + view.measures().stream().map(ODataCatalogView::pascalCase).toList()));
        if (aggregate.getExpression() != null && !view.additive(measure)) {
            throw ODataErrors.notImplemented(column + " is not additive (a ratio or a distinct count): aggregate(" + column
                    + ") computes it for the group instead of adding it up");
        }
        ODataColumn source = viewColumn(column);
        ODataColumn output = new ODataColumn(alias, source.kind(), true, source.precision(), source.scale(), source.sqlType(), source.description());
        return new Output(output, row -> row.measures().get(measure));
    }

    private static Optional<String> propertyName(List<UriResource> path) {
        if (path == null || path.size() != 1 || !(path.get(0) instanceof UriResourcePrimitiveProperty property)) {
            return Optional.empty();
        }
        return Optional.of(property.getProperty().getName());
    }

    private void constrain(Expression expression, Constraints constraints) throws ODataApplicationException {
        if (expression instanceof Binary binary && binary.getOperator() == BinaryOperatorKind.AND) {
            constrain(binary.getLeftOperand(), constraints);
            constrain(binary.getRightOperand(), constraints);
            return;
        }
        if (expression instanceof Unary unary && unary.getOperator() == UnaryOperatorKind.NOT && unary.getOperand() instanceof Binary negated) {
            constraints.filters.add(switch (negated.getOperator()) {
                case EQ -> dimensionFilter(negated, Operator.NE);
                case IN -> dimensionFilter(negated, Operator.NOT_IN);
                default -> throw unsupportedFilter();
            });
            return;
        }
        if (!(expression instanceof Binary binary)) {
            throw unsupportedFilter();
        }
        Optional<String> member = memberName(binary.getLeftOperand());
        if (member.filter(ODataCatalogView.PERIOD::equals).isPresent()) {
            period(binary, constraints);
            return;
        }
        constraints.filters.add(switch (binary.getOperator()) {
            case EQ -> dimensionFilter(binary, Operator.EQ);
            case NE -> dimensionFilter(binary, Operator.NE);
            case IN -> dimensionFilter(binary, Operator.IN);
            case OR -> anyOf(binary);
            default -> throw unsupportedFilter();
        });
    }

    private static ODataApplicationException unsupportedFilter() {
        return ODataErrors.notImplemented("filter(...) inside $apply restricts the facts before they are aggregated, so it takes only dimension keys "
                + "(eq, ne, in, or of eq, not) and Period (eq, lt, le, gt, ge a date), joined by and; put other conditions in $filter");
    }

    private static Optional<String> memberName(Expression expression) {
        return expression instanceof Member member ? propertyName(member.getResourcePath().getUriResourceParts()) : Optional.empty();
    }

    private Filter dimensionFilter(Binary binary, Operator operator) throws ODataApplicationException {
        String dimension = dimensionKey(binary.getLeftOperand());
        List<String> values = new ArrayList<>();
        if (binary.getOperator() == BinaryOperatorKind.IN) {
            for (Expression candidate : binary.getExpressions()) {
                values.add(stringLiteral(candidate));
            }
        }
        else {
            values.add(stringLiteral(binary.getRightOperand()));
        }
        return new Filter(dimension, operator, values);
    }

    /** {@code Channel eq 'a' or Channel eq 'b'} is {@code Channel in ('a', 'b')}. */
    private Filter anyOf(Binary binary) throws ODataApplicationException {
        List<Binary> equalities = new ArrayList<>();
        collectEqualities(binary, equalities);
        String dimension = dimensionKey(equalities.get(0).getLeftOperand());
        List<String> values = new ArrayList<>();
        for (Binary equality : equalities) {
            if (!dimensionKey(equality.getLeftOperand()).equals(dimension)) {
                throw unsupportedFilter();
            }
            values.add(stringLiteral(equality.getRightOperand()));
        }
        return new Filter(dimension, Operator.IN, values);
    }

    private static void collectEqualities(Expression expression, List<Binary> equalities) throws ODataApplicationException {
        if (!(expression instanceof Binary binary)) {
            throw unsupportedFilter();
        }
        switch (binary.getOperator()) {
            case OR -> {
                collectEqualities(binary.getLeftOperand(), equalities);
                collectEqualities(binary.getRightOperand(), equalities);
            }
            case EQ -> equalities.add(binary);
            default -> throw unsupportedFilter();
        }
    }

    private String dimensionKey(Expression expression) throws ODataApplicationException {
        String name = memberName(expression).orElseThrow(ODataApply::unsupportedFilter);
        if (view.keyOfLabel(name).isPresent()) {
            throw unsupportedFilter();
        }
        return view.dimensionOf(name).orElseThrow(ODataApply::unsupportedFilter);
    }

    private static String stringLiteral(Expression expression) throws ODataApplicationException {
        if (!(expression instanceof Literal literal) || !(literal.getType() instanceof EdmPrimitiveType type)
                || EdmPrimitiveTypeKind.valueOfFQN(type.getFullQualifiedName()) != EdmPrimitiveTypeKind.String) {
            throw unsupportedFilter();
        }
        String text = literal.getText();
        return text.substring(1, text.length() - 1).replace("''", "'");
    }

    /** A condition on the period start becomes a range of fact dates at the view's grain. */
    private void period(Binary binary, Constraints constraints) throws ODataApplicationException {
        if (!(binary.getRightOperand() instanceof Literal literal) || !(literal.getType() instanceof EdmPrimitiveType type)
                || EdmPrimitiveTypeKind.valueOfFQN(type.getFullQualifiedName()) != EdmPrimitiveTypeKind.Date) {
            throw unsupportedFilter();
        }
        TimeGrain grain = view.grain().orElseThrow(ODataApply::unsupportedFilter);
        LocalDate date = LocalDate.parse(literal.getText());
        LocalDate floor = calendar.periodStart(grain, date);
        LocalDate ceiling = floor.equals(date) ? date : next(grain, floor);
        switch (binary.getOperator()) {
            case GE -> constraints.from(ceiling);
            case GT -> constraints.from(next(grain, floor));
            case LE -> constraints.to(next(grain, floor).minusDays(1));
            case LT -> constraints.to(ceiling.minusDays(1));
            case EQ -> {
                if (!floor.equals(date)) {
                    constraints.empty = true;
                }
                constraints.from(date);
                constraints.to(next(grain, floor).minusDays(1));
            }
            default -> throw unsupportedFilter();
        }
    }

    private static LocalDate next(TimeGrain grain, LocalDate start) {
        return switch (grain) {
            case DAY -> start.plusDays(1);
            case WEEK -> start.plusWeeks(1);
            case MONTH -> start.plusMonths(1);
            case QUARTER -> start.plusMonths(3);
            case YEAR -> start.plusYears(1);
        };
    }
}
