package io.finhub.ingest;

import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.ingest.Dataset.Check;
import io.finhub.ingest.Dataset.DatasetColumn;
import io.finhub.ingest.Dataset.Kind;
import java.util.ArrayList;
import java.sql.Array;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * The importable datasets: the fact and dimension tables of {@code schema/migrations}. What the DDL
 * says (columns, types, NOT NULL, CHECK) is read from the database, so the importer and the tables
 * can never disagree; what the DDL cannot say (the key of a fact, which dimension a column refers to,
 * which columns hold currencies) is declared here, in load order: dimensions before the facts that
 * refer to them. {@code schema/datasets.md} documents the same.
 */
public final class IngestDatasets {
    private static final String CURRENCY = "dim_currency";
    private static final Pattern IN_LIST = Pattern.compile("^\\(?(\\w+) IN \\((.*)\\)\\)?$");
    private static final Pattern QUOTED = Pattern.compile("'((?:[^']|'')*)'");

    private static final List<Spec> SPECS = List.of(
            dimension("dim_currency", "ISO 4217 currencies money columns are in; codes must be ISO 4217 with ISO's minor units.", "currency_code")
                    .currencies("currency_code"),
            dimension("dim_entity", "Legal entities of the group that GL actuals are booked in.", "entity_id")
                    .currencies("functional_currency"),
            dimension("dim_channel", "Marketing and sales channels.", "channel_id"),
            dimension("dim_department", "Departments and their cost centres.", "department_id"),
            dimension("dim_product", "Products.", "product_id"),
            dimension("dim_campaign", "Marketing campaigns.", "campaign_id")
                    .references("channel_id", "dim_channel").references("department_id", "dim_department").references("product_id", "dim_product"),
            dimension("dim_cs_program", "Customer-success programmes.", "program_id")
                    .references("department_id", "dim_department"),
            dimension("dim_gl_account", "General-ledger accounts.", "account_id"),
            dimension("dim_customer", "Customers (CRM accounts).", "customer_id")
                    .currencies("billing_currency").references("acquisition_channel_id", "dim_channel").references("acquisition_campaign_id", "dim_campaign"),
            dimension("dim_contract", "Customer contracts and their committed value.", "contract_id")
                    .references("customer_id", "dim_customer").references("product_id", "dim_product").currencies("currency_code"),
            fact("fact_touchpoint", "Marketing touches of a journey (ad click, email open, event visit).", "touchpoint_id")
                    .references("customer_id", "dim_customer").references("channel_id", "dim_channel").references("campaign_id", "dim_campaign"),
            fact("fact_conversion", "Won deals (CRM opportunities).", "conversion_id")
                    .references("customer_id", "dim_customer").references("product_id", "dim_product").currencies("currency_code"),
            fact("fact_spend", "Spend by department, channel, campaign, programme or product.", "spend_id")
                    .references("department_id", "dim_department").references("channel_id", "dim_channel").references("campaign_id", "dim_campaign")
                    .references("program_id", "dim_cs_program").references("product_id", "dim_product").currencies("currency_code"),
            fact("fact_budget", "Monthly budget lines (planning exports); replace a version's month to re-import it.",
                    "budget_version", "budget_month", "department_id", "account_id", "campaign_id", "product_id")
                    .references("department_id", "dim_department").references("account_id", "dim_gl_account").references("campaign_id", "dim_campaign")
                    .references("product_id", "dim_product").currencies("currency_code"),
            fact("fact_gl_actual", "General-ledger actual lines (ERP exports); replace an entity's month to re-import it.", "entry_id")
                    .references("entity_id", "dim_entity").references("department_id", "dim_department").references("account_id", "dim_gl_account")
                    .references("campaign_id", "dim_campaign").references("product_id", "dim_product").currencies("currency_code"),
            fact("fact_fx_rate", "Daily exchange rates: 1 from_currency = rate to_currency.", "rate_date", "from_currency", "to_currency")
                    .currencies("from_currency", "to_currency").defaultMode(IngestMode.UPSERT),
            fact("fact_subscription", "Subscriptions and their MRR.", "subscription_id")
                    .references("customer_id", "dim_customer").references("contract_id", "dim_contract").references("product_id", "dim_product")
                    .currencies("currency_code"),
            fact("fact_invoice", "Invoices and the service period they bill.", "invoice_id")
                    .references("customer_id", "dim_customer").currencies("currency_code"),
            fact("fact_contract_commitment", "Value a contract commits to deliver (KPI targets).", "commitment_id")
                    .references("contract_id", "dim_contract"),
            fact("fact_success_metric", "Delivered KPI values.", "contract_id", "kpi", "measured_on")
                    .references("contract_id", "dim_contract"),
            fact("fact_utilization", "Seat use and feature adoption.", "contract_id", "measured_on")
                    .references("contract_id", "dim_contract"),
            fact("fact_health_score", "Customer health scores.", "customer_id", "scored_on")
                    .references("customer_id", "dim_customer"),
            fact("fact_cs_activity", "Customer-success activities and their cost.", "activity_id")
                    .references("customer_id", "dim_customer").references("program_id", "dim_cs_program").currencies("currency_code"),
            fact("fact_renewal_pipeline", "Renewal and expansion opportunities; re-send an opportunity to update it.", "opportunity_id")
                    .references("customer_id", "dim_customer").references("contract_id", "dim_contract").currencies("currency_code")
                    .defaultMode(IngestMode.UPSERT));

    private final Map<String, Dataset> datasets;

    private IngestDatasets(Map<String, Dataset> datasets) {
        this.datasets = datasets;
    }

    /** Reads the columns and constraints of every dataset from the open database. */
    static IngestDatasets load(Handle handle) {
        Map<String, Dataset> datasets = new LinkedHashMap<>();
        for (Spec spec : SPECS) {
            datasets.put(spec.name, spec.toDataset(handle));
        }
        return new IngestDatasets(datasets);
    }

    /** Every dataset, dimensions first, in the order a multi-dataset batch loads them. */
    public List<Dataset> all() {
        return List.copyOf(datasets.values());
    }

    public Dataset require(String name) {
        Dataset dataset = datasets.get(name);
        if (dataset == null) {
            throw new FinhubException(ErrorCode.NOT_FOUND, "unknown dataset '%s'; datasets are: %s".formatted(name, String.join(", ", datasets.keySet())));
        }
        return dataset;
    }

    /** The position of a dataset in load order. */
    int loadOrder(String name) {
        return new ArrayList<>(datasets.keySet()).indexOf(name);
    }

    private static Spec dimension(String name, String description, String key) {
        return new Spec(name, Kind.DIMENSION, description, List.of(key), IngestMode.UPSERT);
    }

    private static Spec fact(String name, String description, String... key) {
        return new Spec(name, Kind.FACT, description, List.of(key), IngestMode.APPEND);
    }

    /** What the DDL cannot say about a dataset. */
    private static final class Spec {
        final String name;
        final Kind kind;
        final String description;
        final List<String> key;
        IngestMode defaultMode;
        final Map<String, String> references = new LinkedHashMap<>();
        final Set<String> currencies = new HashSet<>();

        Spec(String name, Kind kind, String description, List<String> key, IngestMode defaultMode) {
            this.name = name;
            this.kind = kind;
            this.description = description;
            this.key = key;
            this.defaultMode = defaultMode;
        }

        Spec references(String column, String dimension) {
            references.put(column, dimension);
            return this;
        }

        Spec currencies(String... columns) {
            for (String column : columns) {
                currencies.add(column);
                if (!name.equals(CURRENCY)) {
                    references.put(column, CURRENCY);
                }
            }
            return this;
        }

        Spec defaultMode(IngestMode mode) {
            this.defaultMode = mode;
            return this;
        }

        Dataset toDataset(Handle handle) {
            List<Map<String, Object>> rows = handle.createQuery("""
                    SELECT column_name, data_type, is_nullable, ordinal_position FROM information_schema.columns
                    WHERE table_catalog = current_database() AND table_schema = 'main' AND table_name = :table
                    ORDER BY ordinal_position""")
                    .bind("table", name)
                    .mapToMap()
                    .list();
            if (rows.isEmpty()) {
                throw new FinhubException(ErrorCode.INTERNAL, "dataset table " + name + " is missing from the database");
            }
            List<Check> checks = checks(handle);
            List<DatasetColumn> columns = new ArrayList<>();
            for (Map<String, Object> row : rows) {
                String column = (String) row.get("column_name");
                columns.add(new DatasetColumn(column, (String) row.get("data_type"), ((Number) row.get("ordinal_position")).intValue(),
                        "NO".equals(row.get("is_nullable")), Optional.ofNullable(references.get(column)), allowedValues(checks, column),
                        currencies.contains(column)));
            }
            Set<IngestMode> modes = kind == Kind.DIMENSION ? EnumSet.of(IngestMode.UPSERT) : EnumSet.allOf(IngestMode.class);
            return new Dataset(name, kind, description, columns, key, defaultMode, modes, checks);
        }

        private List<Check> checks(Handle handle) {
            List<Map<String, Object>> rows = handle.createQuery("""
                    SELECT expression, constraint_column_names AS columns FROM duckdb_constraints()
                    WHERE database_name = current_database() AND schema_name = 'main' AND table_name = :table AND constraint_type = 'CHECK'
                    ORDER BY constraint_index""")
                    .bind("table", name)
                    .mapToMap()
                    .list();
            List<Check> checks = new ArrayList<>();
            for (Map<String, Object> row : rows) {
                String expression = (String) row.get("expression");
                List<String> columns = columnNames(row.get("columns"));
                checks.add(new Check(expression, columns, reason(expression)));
            }
            return checks;
        }

        private List<String> columnNames(Object value) {
            try {
                Object[] names = (Object[]) ((Array) value).getArray();
                return Arrays.stream(names).map(String::valueOf).toList();
            }
            catch (SQLException e) {
                throw new FinhubException(ErrorCode.INTERNAL, "cannot read the constraints of " + name, e);
            }
        }
    }

    /** The values a {@code column IN ('A', 'B')} check allows, or empty. */
    static List<String> allowedValues(List<Check> checks, String column) {
        for (Check check : checks) {
            Matcher matcher = IN_LIST.matcher(check.expression().trim());
            if (matcher.matches() && matcher.group(1).equals(column)) {
                return inListValues(matcher.group(2));
            }
        }
        return List.of();
    }

    private static List<String> inListValues(String list) {
        List<String> values = new ArrayList<>();
        Matcher quoted = QUOTED.matcher(list);
        while (quoted.find()) {
            values.add(quoted.group(1).replace("''", "'"));
        }
        return values;
    }

    static String reason(String expression) {
        String trimmed = expression.trim();
        Matcher matcher = IN_LIST.matcher(trimmed);
        if (matcher.matches()) {
            return "must be one of " + String.join(", ", inListValues(matcher.group(2)));
        }
        if (trimmed.startsWith("(") && trimmed.endsWith(")")) {
            trimmed = trimmed.substring(1, trimmed.length() - 1);
        }
        return "must satisfy " + trimmed;
    }
}
