package io.finhub.odata;

import static java.util.Objects.requireNonNull;

import io.finhub.catalog.MetricsRequest;
import io.finhub.catalog.MetricsService;
import io.finhub.odata.ODataServiceView.Field;
import io.finhub.forecast.ForecastRequest;
import io.finhub.forecast.ForecastService;
import io.finhub.forecast.RenewalLine;
import io.finhub.realization.RealizationGrouping;
import io.finhub.realization.RealizationService;
import io.finhub.realization.RealizationSummary;
import io.finhub.realization.RealizationSummaryRequest;
import io.finhub.realization.RealizationSummaryRow;
import io.finhub.revenue.MrrMovement;
import io.finhub.revenue.RecognizedRevenueMonth;
import io.finhub.revenue.RevenueQueries;
import io.finhub.store.Store;
import io.finhub.store.TimeGrain;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.olingo.commons.api.edm.EdmPrimitiveTypeKind;
import org.jdbi.v3.core.Handle;

/**
 * Every entity set of the feed, generated from the catalog and the store: analysis-ready views
 * (catalog measures, or a feature service where the number is not a catalog measure), the
 * dimension tables and the fact tables. Fact tables can be millions of rows: like every set they
 * are only ever served a page at a time.
 */
final class ODataEntitySets {
    private static final LocalDate FIRST_MONTH = LocalDate.of(1900, 1, 1);
    private static final LocalDate LAST_MONTH = LocalDate.of(2999, 12, 31);

    private final Map<String, ODataEntitySet> sets = new LinkedHashMap<>();

    private ODataEntitySets(List<ODataEntitySet> sets) {
        sets.forEach(set -> {
            if (this.sets.putIfAbsent(set.name(), set) != null) {
                throw new IllegalArgumentException("entity set " + set.name() + " is defined twice");
            }
        });
    }

    /** The feed over a store, its catalog and the feature services. */
    static ODataEntitySets create(Store store, MetricsService metrics, RevenueQueries revenue, RealizationService realization) {
        return create(store, metrics, revenue, realization, Optional.empty());
    }

    /** As {@link #create(Store, MetricsService, RevenueQueries, RealizationService)}, with the renewal forecast by contract when given the forecasts. */
    static ODataEntitySets create(Store store, MetricsService metrics, RevenueQueries revenue, RealizationService realization,
            Optional<ForecastService> forecasts) {
        requireNonNull(store, "store is null");
        List<ODataEntitySet> sets = new ArrayList<>();
        sets.add(catalogView("RoiByCampaignMonth", "ROI by campaign and month: spend, attributed revenue and customers (LAST_TOUCH, "
                        + "the catalog's default model), ROI %, ROAS, CAC, new leads and cost per lead. The numbers of metrics(measures: [...], "
                        + "dimensions: [\"campaign\"], timeGrain: MONTH).", metrics,
                List.of("spend", "mediaSpend", "attributedRevenueLastTouch", "attributedNewCustomersLastTouch", "roiPct", "roas", "cac", "newLeads",
                        "costPerLead"),
                List.of("campaign"), TimeGrain.MONTH));
        sets.add(catalogView("AttributionByChannelModelMonth", "Attributed conversions, revenue and new customers by channel, attribution "
                        + "model and month: every model side by side, so always filter or group by Model.", metrics,
                List.of("attributedRevenue", "attributedConversions", "attributedNewCustomers"), List.of("channel", "model"), TimeGrain.MONTH));
        sets.add(catalogView("BudgetVsActualByDepartmentMonth", "Budget against actual by department and month, finance's sign convention: "
                        + "a positive variance is favourable.", metrics,
                List.of("budget", "actual", "budgetVariance", "budgetVariancePct", "budgetUtilizationPct", "budgetReforecast", "reforecastVariance",
                        "reforecastVariancePct"),
                List.of("department"), TimeGrain.MONTH));
        sets.add(mrrMovements(revenue));
        sets.add(recognizedRevenue(revenue));
        sets.add(realizationByContractQuarter(realization));
        forecasts.ifPresent(service -> sets.add(renewalForecastByContract(service)));
        store.jdbi().useHandle(handle -> {
            for (TableSpec spec : TABLES) {
                sets.add(table(handle, spec));
            }
        });
        return new ODataEntitySets(sets);
    }

    List<ODataEntitySet> all() {
        return List.copyOf(sets.values());
    }

    Optional<ODataEntitySet> find(String name) {
        return Optional.ofNullable(sets.get(name));
    }

    private static ODataEntitySet catalogView(String name, String description, MetricsService metrics, List<String> measures,
            List<String> dimensions, TimeGrain grain) {
        ODataCatalogView view = new ODataCatalogView(metrics, measures, dimensions, Optional.of(grain));
        return new ODataEntitySet(name, name + "Row", description, view.columns(), List.of(ODataCatalogView.KEY), view);
    }

    private static ODataEntitySet mrrMovements(RevenueQueries revenue) {
        List<Field<MrrMovement>> fields = List.of(
                field(ODataColumn.date("Month", false, "First day of the month; amounts at its month end."), MrrMovement::month),
                money("Opening", "MRR at the previous month end, at that day's rate.", MrrMovement::opening),
                money("NewMrr", "MRR of customers whose first paid subscription started.", MrrMovement::newMrr),
                money("Expansion", "MRR added by existing customers.", MrrMovement::expansion),
                money("Reactivation", "MRR of former customers who came back.", MrrMovement::reactivation),
                money("Contraction", "MRR lost by customers who stay.", MrrMovement::contraction),
                money("Churn", "MRR of customers whose last subscription ended.", MrrMovement::churn),
                money("FxImpact", "What the change of exchange rates moved: closes the bridge exactly.", MrrMovement::fxImpact),
                money("Closing", "MRR at the month end.", MrrMovement::closing),
                money("Arr", "Closing MRR × 12.", MrrMovement::arr),
                count("OpeningCustomers", "Customers paying at the previous month end.", MrrMovement::openingCustomers),
                count("Customers", "Customers paying at the month end.", MrrMovement::customers),
                count("NewCustomers", "Customers whose first paid subscription started.", MrrMovement::newCustomers),
                count("ChurnedCustomers", "Customers whose last subscription ended.", MrrMovement::churnedCustomers),
                percent("GrossMrrChurnPct", "(Churn + contraction) ÷ opening × 100.", MrrMovement::grossMrrChurnPct),
                percent("NetMrrChurnPct", "(Churn + contraction − expansion − reactivation) ÷ opening × 100.", MrrMovement::netMrrChurnPct),
                percent("CustomerChurnPct", "Churned customers ÷ opening customers × 100.", MrrMovement::customerChurnPct));
        ODataServiceView<MrrMovement> view = new ODataServiceView<>(() -> revenue.mrrMovements(FIRST_MONTH, LAST_MONTH, Optional.empty()), fields);
        return new ODataEntitySet("MrrMovementsByMonth", "MrrMovementsByMonthRow",
                "The MRR bridge by month, the numbers of the GraphQL mrrMovements query: opening + new + expansion + reactivation − contraction "
                        + "− churn + fxImpact = closing, in the reporting currency.",
                view.columns(), List.of("Month"), view);
    }

    private static ODataEntitySet recognizedRevenue(RevenueQueries revenue) {
        List<Field<RecognizedRevenueMonth>> fields = List.of(
                field(ODataColumn.date("Month", false, "First day of the month."), RecognizedRevenueMonth::month),
                money("Invoiced", "Invoiced in the month, at each invoice date's rate.", RecognizedRevenueMonth::invoiced),
                money("Recognized", "Recognised ratably by day over each invoice's service period.", RecognizedRevenueMonth::recognized),
                money("InvoicedToDate", "Invoiced since the first invoice.", RecognizedRevenueMonth::invoicedToDate),
                money("RecognizedToDate", "Recognised since the first invoice.", RecognizedRevenueMonth::recognizedToDate),
                money("DeferredBalance", "Invoiced to date − recognised to date at the month end.", RecognizedRevenueMonth::deferredBalance));
        ODataServiceView<RecognizedRevenueMonth> view = new ODataServiceView<>(() -> revenue.recognizedRevenue(FIRST_MONTH, LAST_MONTH), fields);
        return new ODataEntitySet("RecognizedRevenueByMonth", "RecognizedRevenueByMonthRow",
                "Invoiced and ratably recognised revenue by month with the deferred balance, the numbers of the GraphQL recognizedRevenue query.",
                view.columns(), List.of("Month"), view);
    }

    private static ODataEntitySet realizationByContractQuarter(RealizationService realization) {
        List<Field<RealizationSummaryRow>> fields = List.of(
                field(ODataColumn.date("QuarterStart", false, "First day of the fiscal quarter; the contract is measured at its end."),
                        RealizationSummaryRow::quarterStart),
                field(ODataColumn.string("QuarterLabel", false, "The fiscal quarter, e.g. FY2025-Q1."), RealizationSummaryRow::quarterLabel),
                field(ODataColumn.string("Contract", false, "Contract id."), RealizationSummaryRow::key),
                field(ODataColumn.string("CustomerName", true, "The contract's customer."), RealizationSummaryRow::label),
                count("Contracts", "Contracts in the row (1).", RealizationSummaryRow::contracts),
                count("MeasuredContracts", "1 when the contract has a measured realization rate.", RealizationSummaryRow::measuredContracts),
                money("CommittedValue", "The contract's committed value.", RealizationSummaryRow::committedValue),
                percent("RealizationPct", "Delivered ÷ committed × 100.", RealizationSummaryRow::realizationPct),
                count("MilestonesMet", "Committed milestones met by the quarter end.", RealizationSummaryRow::milestonesMet),
                count("MilestonesDue", "Committed milestones due by the quarter end.", RealizationSummaryRow::milestonesDue),
                count("AtRiskContracts", "1 when the contract is at risk of under-delivery.", RealizationSummaryRow::atRiskContracts),
                count("SeatsUsed", "Seats used at the last reading.", RealizationSummaryRow::seatsUsed),
                count("SeatsLicensed", "Seats licensed at the last reading.", RealizationSummaryRow::seatsLicensed),
                percent("UtilizationPct", "Seats used ÷ seats licensed × 100.", RealizationSummaryRow::utilizationPct),
                money("UnusedLicenseValue", "Committed value of the unused seats.", RealizationSummaryRow::unusedLicenseValue),
                money("ValueToDate", "Value of the outcomes delivered so far.", RealizationSummaryRow::valueToDate),
                money("PaidToDate", "What the customer paid for the term so far.", RealizationSummaryRow::paidToDate),
                percent("RoiPct", "(Value to date ÷ paid to date − 1) × 100.", RealizationSummaryRow::roiPct));
        ODataServiceView<RealizationSummaryRow> view = new ODataServiceView<>(() -> realizationRows(realization), fields);
        return new ODataEntitySet("RealizationByContractQuarter", "RealizationByContractQuarterRow",
                "Value realization by contract and fiscal quarter, the numbers of the GraphQL realizationSummary(groupBy: CONTRACT) query.",
                view.columns(), List.of("QuarterStart", "Contract"), view);
    }

    private static ODataEntitySet renewalForecastByContract(ForecastService forecasts) {
        List<Field<RenewalLine>> fields = List.of(
                field(ODataColumn.string("Contract", false, "Contract id."), RenewalLine::contractId),
                field(ODataColumn.string("Customer", false, "Customer id."), RenewalLine::customerId),
                field(ODataColumn.string("CustomerName", true, "The contract's customer."), RenewalLine::customerName),
                field(ODataColumn.string("Segment", true, "The customer's segment."), RenewalLine::segment),
                field(ODataColumn.string("Product", true, "The contract's product."), RenewalLine::productId),
                field(ODataColumn.date("EndDate", false, "The last day of the contract term: the renewal date."), RenewalLine::endDate),
                field(ODataColumn.string("QuarterLabel", false, "The fiscal quarter the renewal falls in, e.g. FY2026-Q1."), RenewalLine::quarterLabel),
                field(ODataColumn.string("Opportunity", true, "The renewal opportunity in the CRM, if any."), RenewalLine::opportunityId),
                field(ODataColumn.string("Status", false, "OPEN, RENEWED or CHURNED (decided by the forecast date)."), line -> line.status().name()),
                money("Amount", "The renewal value: the renewal opportunity, else twelve months of the subscription, else the committed value.",
                        RenewalLine::amount),
                field(ODataColumn.string("ProbabilitySource", false, "OUTCOME, MODEL, CRM_STAGE or HISTORICAL_RATE."),
                        line -> line.probabilitySource().name()),
                percent("ModelProbability", "The renewal probability, 0 to 1.", RenewalLine::modelProbability),
                money("ModelExpected", "Amount × model probability, to the cent.", RenewalLine::modelExpected),
                field(ODataColumn.string("Adjustment", true, "The customer-success adjustment overriding this line, if any."), RenewalLine::adjustmentId),
                percent("AdjustedProbability", "The adjusted probability (the model's when not adjusted).", RenewalLine::adjustedProbability),
                money("AdjustedAmount", "The adjusted amount (the model's when not adjusted).", RenewalLine::adjustedAmount),
                money("AdjustedExpected", "Adjusted amount × adjusted probability, to the cent.", RenewalLine::adjustedExpected));
        ODataServiceView<RenewalLine> view = new ODataServiceView<>(() -> forecasts.renewals(ForecastRequest.defaults()), fields);
        return new ODataEntitySet("RenewalForecastByContract", "RenewalForecastByContractRow",
                "Today's renewal forecast contract by contract (the rest of this fiscal quarter and the next four): the lines the GraphQL "
                        + "portfolioForecast adds up into its renewal figures, model and adjusted side by side.",
                view.columns(), List.of("Contract"), view);
    }

    private static List<RealizationSummaryRow> realizationRows(RealizationService realization) {
        List<RealizationSummaryRow> rows = new ArrayList<>();
        long total = Long.MAX_VALUE;
        while (rows.size() < total) {
            RealizationSummary page = realization.summary(new RealizationSummaryRequest(RealizationGrouping.CONTRACT, Optional.empty(),
                    Optional.empty(), false, MetricsRequest.MAX_LIMIT, rows.size()));
            rows.addAll(page.rows());
            total = page.totalCount();
            if (page.rows().isEmpty()) {
                break;
            }
        }
        return rows;
    }

    private static <T> Field<T> field(ODataColumn column, Function<T, Object> value) {
        return new Field<>(column, value);
    }

    private static <T> Field<T> money(String name, String description, Function<T, Object> value) {
        return new Field<>(ODataColumn.decimal(name, 2, description + " Reporting currency."), value);
    }

    private static <T> Field<T> percent(String name, String description, Function<T, Object> value) {
        return new Field<>(ODataColumn.decimal(name, 4, description), value);
    }

    private static <T> Field<T> count(String name, String description, Function<T, Object> value) {
        return new Field<>(ODataColumn.int64(name, false, description), value);
    }

    /**
     * A store table served as it is, with its natural key; {@code restricted}: the SQL of a column for a caller restricted
     * to some departments, where the column names another department's row.
     */
    private record TableSpec(String set, String type, String table, List<String> key, String description, Optional<String> department,
            Map<String, String> restricted) {
        TableSpec(String set, String type, String table, List<String> key, String description) {
            this(set, type, table, key, description, Optional.empty(), Map.of());
        }

        TableSpec(String set, String type, String table, List<String> key, String description, Optional<String> department) {
            this(set, type, table, key, description, department, Map.of());
        }
    }

    /** The department column of a table that has one. */
    private static final String DEPARTMENT_COLUMN = "department_id";

    private static final List<TableSpec> TABLES = List.of(
            new TableSpec("Channels", "Channel", "dim_channel", List.of("channel_id"), "Marketing channels."),
            new TableSpec("Campaigns", "Campaign", "dim_campaign", List.of("campaign_id"), "Marketing campaigns."),
            new TableSpec("Departments", "Department", "dim_department", List.of("department_id"), "Departments and cost centres."),
            new TableSpec("Products", "Product", "dim_product", List.of("product_id"), "Products."),
            new TableSpec("CsPrograms", "CsProgram", "dim_cs_program", List.of("program_id"), "Customer-success programmes."),
            new TableSpec("GlAccounts", "GlAccount", "dim_gl_account", List.of("account_id"), "General-ledger accounts."),
            new TableSpec("LegalEntities", "LegalEntity", "dim_entity", List.of("entity_id"), "Legal entities."),
            // A customer is no department's, but the campaign that acquired it is: another department's reads as none, as in metrics.
            new TableSpec("Customers", "Customer", "dim_customer", List.of("customer_id"), "Customers.", Optional.empty(), Map.of("acquisition_campaign_id",
                    "CASE WHEN \"acquisition_campaign_id\" IN (SELECT c.campaign_id FROM dim_campaign c WHERE c.department_id IN "
                            + "(SELECT unnest(CAST(:allowed_departments AS VARCHAR[])))) THEN \"acquisition_campaign_id\" END")),
            new TableSpec("Contracts", "Contract", "dim_contract", List.of("contract_id"), "Contracts (end date inclusive)."),
            new TableSpec("Currencies", "Currency", "dim_currency", List.of("currency_code"), "Currencies, ISO 4217."),
            new TableSpec("Calendar", "CalendarDate", "dim_date", List.of("date_key"), "The date dimension with the fiscal calendar."),
            // A touch is its campaign's department's; a touch without a campaign is no department's, so only callers
            // who see every department get it.
            new TableSpec("Touchpoints", "Touchpoint", "fact_touchpoint", List.of("touchpoint_id"), "Marketing touches (UTC).",
                    Optional.of("(SELECT c.department_id FROM dim_campaign c WHERE c.campaign_id = \"fact_touchpoint\".\"campaign_id\")")),
            new TableSpec("Deals", "Deal", "fact_conversion", List.of("conversion_id"), "Closed deals, in their original currency."),
            new TableSpec("SpendLines", "SpendLine", "fact_spend", List.of("spend_id"), "Spend lines, in their original currency."),
            new TableSpec("GlActuals", "GlActual", "fact_gl_actual", List.of("entry_id"), "General-ledger actual lines, in their original currency."),
            new TableSpec("FxRates", "FxRate", "fact_fx_rate", List.of("rate_date", "from_currency", "to_currency"),
                    "Daily exchange rates: 1 FromCurrency = Rate ToCurrency."),
            new TableSpec("Subscriptions", "Subscription", "fact_subscription", List.of("subscription_id"), "Subscriptions (end date exclusive)."),
            new TableSpec("Invoices", "Invoice", "fact_invoice", List.of("invoice_id"), "Invoices (service end inclusive)."),
            new TableSpec("ContractCommitments", "ContractCommitment", "fact_contract_commitment", List.of("commitment_id"),
                    "KPI targets contracts commit to."),
            new TableSpec("SuccessMetrics", "SuccessMetric", "fact_success_metric", List.of("contract_id", "kpi", "measured_on"),
                    "Delivered KPI values."),
            new TableSpec("UtilizationReadings", "UtilizationReading", "fact_utilization", List.of("contract_id", "measured_on"),
                    "Seat use and feature adoption."),
            new TableSpec("HealthScores", "HealthScore", "fact_health_score", List.of("customer_id", "scored_on"), "Customer health scores."),
            // An activity (and its cost) is its programme's department's, as the programme is.
            new TableSpec("CsActivities", "CsActivity", "fact_cs_activity", List.of("activity_id"), "Customer-success activities and their cost.",
                    Optional.of("(SELECT p.department_id FROM dim_cs_program p WHERE p.program_id = \"fact_cs_activity\".\"program_id\")")),
            new TableSpec("RenewalPipeline", "RenewalOpportunity", "fact_renewal_pipeline", List.of("opportunity_id"),
                    "Renewal and expansion opportunities."));

    private record SchemaColumn(String name, String type, boolean nullable, Integer precision, Integer scale) {}

    private static ODataEntitySet table(Handle handle, TableSpec spec) {
        List<SchemaColumn> schema = handle.createQuery("""
                        SELECT column_name, data_type, is_nullable = 'YES' AS nullable, numeric_precision, numeric_scale
                        FROM information_schema.columns
                        WHERE table_schema = 'main' AND table_name = :table
                        ORDER BY ordinal_position""")
                .bind("table", spec.table())
                .map((row, context) -> new SchemaColumn(row.getString(1), row.getString(2), row.getBoolean(3), row.getObject(4, Integer.class),
                        row.getObject(5, Integer.class)))
                .list();
        if (schema.isEmpty()) {
            throw new IllegalStateException("table " + spec.table() + " does not exist");
        }
        List<ODataColumn> columns = new ArrayList<>();
        List<String> expressions = new ArrayList<>();
        List<Optional<String>> restricted = new ArrayList<>();
        for (SchemaColumn column : schema) {
            boolean key = spec.key().contains(column.name());
            columnOf(column, key).ifPresent(odata -> {
                columns.add(odata);
                expressions.add("\"" + column.name().replace("\"", "\"\"") + "\"");
                restricted.add(Optional.ofNullable(spec.restricted().get(column.name())));
            });
        }
        spec.restricted().keySet().stream().filter(name -> schema.stream().noneMatch(column -> column.name().equals(name))).findFirst().ifPresent(name -> {
            throw new IllegalStateException("table " + spec.table() + " has no column " + name + " to restrict");
        });
        List<String> key = spec.key().stream().map(ODataEntitySets::pascalCase).toList();
        Optional<String> department = spec.department()
                .or(() -> schema.stream().anyMatch(column -> column.name().equals(DEPARTMENT_COLUMN)) ? Optional.of("\"" + DEPARTMENT_COLUMN + "\"") : Optional.empty());
        return new ODataEntitySet(spec.set(), spec.type(), spec.description(), columns, key, new ODataTableSource(spec.table(), expressions, department, restricted));
    }

    private static Optional<ODataColumn> columnOf(SchemaColumn column, boolean key) {
        String name = pascalCase(column.name());
        boolean nullable = column.nullable() && !key;
        String type = column.type().toUpperCase(Locale.ROOT);
        if (type.startsWith("DECIMAL")) {
            return Optional.of(new ODataColumn(name, EdmPrimitiveTypeKind.Decimal, nullable, Optional.ofNullable(column.precision()),
                    Optional.ofNullable(column.scale()), type, ""));
        }
        Optional<EdmPrimitiveTypeKind> kind = switch (type) {
            case "VARCHAR" -> Optional.of(EdmPrimitiveTypeKind.String);
            case "DATE" -> Optional.of(EdmPrimitiveTypeKind.Date);
            case "TIMESTAMP" -> Optional.of(EdmPrimitiveTypeKind.DateTimeOffset);
            case "BOOLEAN" -> Optional.of(EdmPrimitiveTypeKind.Boolean);
            case "TINYINT" -> Optional.of(EdmPrimitiveTypeKind.SByte);
            case "SMALLINT" -> Optional.of(EdmPrimitiveTypeKind.Int16);
            case "INTEGER" -> Optional.of(EdmPrimitiveTypeKind.Int32);
            case "BIGINT" -> Optional.of(EdmPrimitiveTypeKind.Int64);
            case "DOUBLE" -> Optional.of(EdmPrimitiveTypeKind.Double);
            default -> Optional.empty();
        };
        Optional<Integer> precision = type.equals("TIMESTAMP") ? Optional.of(6) : Optional.empty();
        return kind.map(value -> new ODataColumn(name, value, nullable, precision, Optional.empty(), type, ""));
    }

    /** {@code touchpoint_id} → {@code TouchpointId}. */
    static String pascalCase(String snakeCase) {
        StringBuilder name = new StringBuilder();
        for (String part : snakeCase.split("_")) {
            if (!part.isEmpty()) {
                name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return name.toString();
    }
}
