package io.finhub.ingest;

import static io.finhub.ingest.SqlText.identifier;
import static io.finhub.ingest.SqlText.literal;

import io.finhub.ingest.Dataset.Check;
import io.finhub.ingest.Dataset.DatasetColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The SQL of one part of a batch: stage the file into a typed temporary table (keeping the raw text
 * of every value that did not convert), find every problem with set-based queries, then write.
 * DuckDB's readers parse; nothing is parsed row by row in Java.
 */
final class PartSql {
    static final String PROBLEMS = "ingest_problem";
    private static final String OFFSET = "'[T ]\\d{1,2}:\\d{2}(:\\d{2}(\\.\\d+)?)?\\s*([zZ]|[+-]\\d{2}(:?\\d{2})?)$'";
    // The forms a text value must have before it is cast (spaces around it aside: they change no value).
    private static final String DATE_TEXT = "'\\s*\\d{4}-\\d{2}-\\d{2}\\s*'";
    private static final String DECIMAL_TEXT = "'\\s*[+-]?\\d+(\\.\\d+)?\\s*'";
    private static final String INTEGER_TEXT = "'\\s*[+-]?\\d+\\s*'";
    private static final String EARLIEST = "1900-01-01";
    private static final String LATEST = "2199-12-31";

    /** Where a dataset column comes from in the file. */
    record SourceColumn(String name, String type) {
        boolean isText() {
            return type.equals("VARCHAR");
        }
    }

    private record RowCheck(SqlText condition, Optional<DatasetColumn> column, String value, String reason) {
        RowCheck(String condition, Optional<DatasetColumn> column, String value, String reason) {
            this(SqlText.of(condition), column, value, reason);
        }
    }

    private final BatchPart part;
    private final int index;
    private final Map<String, SourceColumn> sources;
    private final Dataset dataset;

    /**
     * @param sources dataset column name to the file column it is read from; absent columns are NULL
     */
    PartSql(BatchPart part, int index, Map<String, SourceColumn> sources) {
        this.part = part;
        this.index = index;
        this.sources = Map.copyOf(sources);
        this.dataset = part.dataset();
    }

    BatchPart part() {
        return part;
    }

    String stageTable() {
        return "ingest_stage_" + index;
    }

    String rejectsTable() {
        return "ingest_rejects_" + index;
    }

    // Reading ------------------------------------------------------------------------------------

    /** The file's columns: a query whose result metadata names them (CSV, Parquet) or whose rows do (JSON keys). */
    static SqlText describeSource(BatchPart part) {
        return switch (part.format()) {
            case CSV -> SqlText.of("SELECT * FROM read_csv(").parameter(part.file().toString())
                    .append(", header = true, all_varchar = true, ignore_errors = true" + compression(part.file()) + ") LIMIT 0");
            case PARQUET -> SqlText.of("SELECT * FROM read_parquet(").parameter(part.file().toString()).append(") LIMIT 0");
            case JSONL -> SqlText.of("SELECT DISTINCT unnest(json_keys(json)) AS key FROM read_json_objects(").parameter(part.file().toString())
                    .append(", format = 'auto'" + compression(part.file()) + ") WHERE json_type(json) = 'OBJECT' ORDER BY key");
        };
    }

    private SqlText reader() {
        String path = part.file().toString();
        return switch (part.format()) {
            case CSV -> SqlText.of("read_csv(").parameter(path).append(", header = true, all_varchar = true, store_rejects = true, rejects_table = "
                    + literal(rejectsTable()) + ", rejects_scan = " + literal("ingest_scans_" + index) + compression(part.file()) + ")");
            case PARQUET -> SqlText.of("read_parquet(").parameter(path).append(", file_row_number = true)");
            case JSONL -> SqlText.of("read_json_objects(").parameter(path).append(", format = 'auto'" + compression(part.file()) + ")");
        };
    }

    /**
     * {@code , compression = 'gzip'} for a file that starts with gzip's magic bytes (1f 8b), else nothing: DuckDB tells
     * a gzipped file by its name alone, so {@code finhub import --db} of a gzipped file named {@code .csv} read it as text.
     */
    static String compression(java.nio.file.Path file) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b ? ", compression = 'gzip'" : "";
        }
        catch (java.io.IOException e) {
            return ""; // the reader reports the file it cannot read
        }
    }

    private String rowNumber() {
        if (!readerNumbersRows()) {
            return "row_number() OVER ()";
        }
        return part.format() == IngestFormat.PARQUET ? "file_row_number + 1" : "CAST(json ->> " + literal(BatchPart.LINE_FIELD) + " AS BIGINT)";
    }

    /** Whether each row read carries its number: Parquet's file_row_number, or the line field of JSON lines a Singer stream wrote. */
    private boolean readerNumbersRows() {
        return part.format() == IngestFormat.PARQUET || part.format() == IngestFormat.JSONL && part.numberedRows();
    }

    /**
     * Whether the stage table's rows are numbered by their position: the reader gives no row number,
     * and a {@code row_number() OVER ()} window would run on one thread (1.1 of 3.2 s for 5 million CSV
     * rows). The stage keeps the file's order only while DuckDB's {@code preserve_insertion_order} is
     * on, which the caller sets around {@link #stage}; a fresh table's rowid is then each row's
     * position. A stage that keeps the last of duplicate keys is numbered in its own statement, as it
     * needs the number to choose.
     */
    boolean numbersRowsByPosition() {
        return !readerNumbersRows() && !part.keepLastOfDuplicates();
    }

    /**
     * Writes each row's position into {@code __row}, for a stage whose rows are about to be deleted
     * (journal lines on balance-sheet accounts), after which a rowid need not be a position. Any other
     * stage numbered by position reads its rowid only where a row number is reported (see {@link #row}),
     * which on a clean file is nowhere: writing 5 million numbers took 0.1 to 0.16 s.
     */
    SqlText numberRowsByPosition() {
        return SqlText.of("UPDATE " + stageTable() + " SET __row = rowid + 1");
    }

    /**
     * The row number of a staged row: its {@code __row}, or for a stage numbered by position and not
     * yet written by {@link #numberRowsByPosition} or {@link #renumberAroundRejects}, its rowid + 1.
     */
    private String row(String alias) {
        return numbersRowsByPosition() ? "coalesce(%s.__row, %s.rowid + 1)".formatted(alias, alias) : alias + ".__row";
    }

    private String raw(SourceColumn source) {
        String value = switch (part.format()) {
            case CSV, PARQUET -> identifier(source.name());
            case JSONL -> "json ->> " + literal(source.name());
        };
        return source.isText() ? "nullif(" + value + ", '')" : value;
    }

    private static String rawName(DatasetColumn column) {
        return identifier("__raw_" + column.name());
    }

    private static String badName(DatasetColumn column) {
        return identifier("__bad_" + column.name());
    }

    private static String excessName(DatasetColumn column) {
        return identifier("__excess_" + column.name());
    }

    /** Whether a JSON value is a string: {@code "amount": "10.50"} is text, {@code "amount": 10.5} a JSON number. */
    private static String jsonStringName(DatasetColumn column) {
        return identifier("__string_" + column.name());
    }

    /** Whether a value of this column may be a JSON number, which {@link #writtenAsDocumented} does not hold to the forms of text. */
    private boolean readsJsonNumbers(DatasetColumn column) {
        return part.format() == IngestFormat.JSONL && (column.isDecimal() || column.isInteger());
    }

    /** The value of the file's text or typed column converted to the dataset column's type; NULL when it does not convert. */
    private String typed(DatasetColumn column, SourceColumn source) {
        String raw = rawName(column);
        if (column.isText()) {
            return source.isText() ? raw : "CAST(" + raw + " AS VARCHAR)";
        }
        if (column.type().equals("TIMESTAMP")) {
            if (source.isText()) {
                // The regular expression runs only on text that can hold an offset: a Z, a plus, or a minus after the date
                // (suffix twice, not suffix of lower(): lowering copies every value, 65 ms on 5 million).
                return ("CASE WHEN (contains(%s, '+') OR suffix(%s, 'Z') OR suffix(%s, 'z') OR contains(substr(%s, 11), '-')) AND regexp_matches(%s, %s)"
                        + " THEN try_cast(%s AS TIMESTAMPTZ) AT TIME ZONE 'UTC' ELSE try_cast(%s AS TIMESTAMP) END")
                        .formatted(raw, raw, raw, raw, raw, OFFSET, raw, raw);
            }
            if (source.type().equals("TIMESTAMP WITH TIME ZONE")) {
                return raw + " AT TIME ZONE 'UTC'";
            }
        }
        Optional<String> written = source.isText() ? writtenAsDocumented(column) : Optional.empty();
        if (written.isPresent()) {
            return "CASE WHEN %s THEN try_cast(%s AS %s) END".formatted(written.get(), raw, column.type());
        }
        return "try_cast(%s AS %s)".formatted(raw, column.type());
    }

    /**
     * The condition a text value must meet before it is cast, as schema/datasets.md documents it: a
     * date YYYY-MM-DD, a decimal or whole number of plain digits. DuckDB's casts take more and change
     * the value on the way: {@code 1_000} is 1000, {@code 0x10} 16, {@code 1.5} in an integer column 2,
     * {@code 2026-11-30T23:30:00-05:00} the day 2026-11-30, {@code 2025/03/01} a date. Exponents
     * ({@code 1e3}) are refused in text too: spreadsheets write them for numbers they have rounded.
     * A JSON number is no text: JSON's grammar has already checked its form, and an integer column
     * only asks that it have no decimal places (80.0 is 80, 1.5 is a problem).
     */
    private Optional<String> writtenAsDocumented(DatasetColumn column) {
        String raw = rawName(column);
        if (column.type().equals("DATE")) {
            return Optional.of("regexp_full_match(%s, %s)".formatted(raw, DATE_TEXT));
        }
        String text;
        String number;
        if (column.isDecimal()) {
            text = "regexp_full_match(%s, %s)".formatted(raw, DECIMAL_TEXT);
            number = "true";
        }
        else if (column.isInteger()) {
            text = "regexp_full_match(%s, %s)".formatted(raw, INTEGER_TEXT);
            number = decimalPlaces(raw) + " = 0";
        }
        else {
            return Optional.empty();
        }
        return Optional.of(readsJsonNumbers(column) ? "CASE WHEN %s THEN %s ELSE %s END".formatted(jsonStringName(column), text, number) : text);
    }

    /**
     * The decimal places of a number as written, counted on its text (a cast through any DECIMAL would
     * hide those past its scale): the digits after the point without trailing zeros, less the
     * exponent of a JSON number DuckDB prints that way ({@code 1e-7} has 7).
     */
    private static String decimalPlaces(String raw) {
        return "greatest(0, length(rtrim(regexp_extract(%s, '\\.(\\d+)', 1), '0')) - coalesce(try_cast(regexp_extract(%s, '[eE]([+-]?\\d+)', 1) AS INTEGER), 0))"
                .formatted(raw, raw);
    }

    /**
     * Stages the file: one row per record with its row number, every dataset column in its type, and
     * beside each column that had to convert, the raw text of values that did not.
     */
    SqlText stage() {
        String rowNumber = numbersRowsByPosition() ? "CAST(NULL AS BIGINT)" : rowNumber();
        List<String> inner = new ArrayList<>(List.of(rowNumber + " AS __row"));
        List<String> middle = new ArrayList<>(List.of("__row"));
        List<String> outer = new ArrayList<>(List.of("__row"));
        if (part.format() == IngestFormat.JSONL) {
            inner.add("json_type(json) <> 'OBJECT' AS __not_object");
            middle.add("__not_object");
            outer.add("__not_object");
        }
        for (DatasetColumn column : dataset.columns()) {
            SourceColumn source = sources.get(column.name());
            String name = identifier(column.name());
            if (source == null) {
                outer.add("CAST(NULL AS %s) AS %s".formatted(column.type(), name));
                continue;
            }
            inner.add(raw(source) + " AS " + rawName(column));
            if (readsJsonNumbers(column)) {
                inner.add("json_type(json -> %s) = 'VARCHAR' AS %s".formatted(literal(source.name()), jsonStringName(column)));
            }
            middle.add(typed(column, source) + " AS " + name);
            outer.add(name);
            if (column.isText()) {
                continue;
            }
            middle.add(rawName(column));
            outer.add("CASE WHEN %s IS NULL AND %s IS NOT NULL THEN CAST(%s AS VARCHAR) END AS %s".formatted(name, rawName(column), rawName(column), badName(column)));
            if (column.isDecimal() && source.isText()) {
                outer.add("CASE WHEN %s IS NOT NULL AND %s > %d THEN %s END AS %s"
                        .formatted(name, decimalPlaces(rawName(column)), column.scale(), rawName(column), excessName(column)));
            }
        }
        SqlText sql = SqlText.of("CREATE TEMP TABLE " + stageTable() + " AS SELECT " + String.join(", ", outer) + " FROM (SELECT "
                + String.join(", ", middle) + " FROM (SELECT " + String.join(", ", inner) + " FROM ").append(reader()).append("))");
        if (part.keepLastOfDuplicates()) {
            String key = dataset.key().stream().map(SqlText::identifier).collect(Collectors.joining(", "));
            sql.append(" QUALIFY row_number() OVER (PARTITION BY " + key + " ORDER BY __row DESC) = 1");
        }
        return sql;
    }

    /** Journal lines on accounts outside dim_gl_account are balance-sheet lines, not P&L actuals. */
    SqlText skipBalanceSheetLines() {
        return SqlText.of("DELETE FROM " + stageTable() + " WHERE account_id IS NOT NULL AND account_id NOT IN (SELECT account_id FROM dim_gl_account)");
    }

    /**
     * Turns debit-positive amounts to FinHub's sign convention: revenue earned and cost incurred are
     * both positive, so amounts on REVENUE accounts are negated. Runs inside the transaction, after
     * earlier parts of the batch (a connector's accounts) are written.
     */
    SqlText applyNaturalSign() {
        return SqlText.of("UPDATE " + stageTable() + " SET amount = -amount WHERE account_id IN (SELECT account_id FROM dim_gl_account WHERE account_type = 'REVENUE')");
    }

    /** Renumbers staged rows when the CSV reader skipped malformed lines, so every row number is the record's place in the file. */
    SqlText renumberAroundRejects() {
        String row = row(stageTable());
        return SqlText.of("UPDATE " + stageTable() + " SET __row = " + row + " + (SELECT count(*) FROM (SELECT line - 1 - row_number() OVER (ORDER BY line) AS before"
                + " FROM (SELECT DISTINCT line FROM " + rejectsTable() + ")) AS skipped WHERE skipped.before < " + row + ")");
    }

    SqlText rejectedLines() {
        return SqlText.of("INSERT INTO " + PROBLEMS + " SELECT " + literal(dataset.name()) + ", " + index
                + ", line - 1, column_name, NULL, left(csv_line, 200), 'line ' || line || ' of the file: ' || lower(CAST(error_type AS VARCHAR)) || ' (' || error_message || ')'"
                + " FROM " + rejectsTable());
    }

    SqlText countRejectedLines() {
        return SqlText.of("SELECT count(*) FROM " + rejectsTable());
    }

    SqlText countFileProblems() {
        return SqlText.of("SELECT count(*) FROM " + PROBLEMS + " WHERE part = " + index + " AND row_number IS NULL");
    }

    SqlText countStaged() {
        return SqlText.of("SELECT count(*) FROM " + stageTable());
    }

    // Validation ---------------------------------------------------------------------------------

    /** One pass over the staged rows that records every row-level problem: types, required values, CHECK constraints, dates, partition. */
    SqlText rowProblems() {
        List<RowCheck> checks = rowChecks();
        SqlText problems = SqlText.of("list_filter([");
        SqlText any = new SqlText();
        String separator = "";
        for (RowCheck check : checks) {
            if (part.format() == IngestFormat.JSONL && check.column().isPresent()) {
                check = new RowCheck(SqlText.of("NOT __not_object AND (").append(check.condition()).append(")"), check.column(), check.value(), check.reason());
            }
            String column = check.column().map(value -> literal(value.name())).orElse("CAST(NULL AS VARCHAR)");
            String position = check.column().map(value -> String.valueOf(value.position())).orElse("CAST(NULL AS INTEGER)");
            problems.append(separator).append("CASE WHEN coalesce(").append(condition(check)).append(", false) THEN struct_pack(c := " + column
                    + ", p := " + position + ", v := CAST(" + check.value() + " AS VARCHAR), r := " + literal(check.reason()) + ") END");
            any.append(separator.isEmpty() ? "" : " OR ").append("coalesce(").append(condition(check)).append(", false)");
            separator = ", ";
        }
        problems.append("], problem -> problem IS NOT NULL)");
        return SqlText.of("INSERT INTO " + PROBLEMS + " SELECT " + literal(dataset.name()) + ", " + index
                + ", __row, struct_extract(problem, 'c'), struct_extract(problem, 'p'), left(struct_extract(problem, 'v'), 200), struct_extract(problem, 'r')"
                + " FROM (SELECT " + row("s") + " AS __row, unnest(").append(problems).append(") AS problem FROM " + stageTable() + " AS s WHERE ").append(any).append(")");
    }

    private static SqlText condition(RowCheck check) {
        return SqlText.of("(").append(check.condition()).append(")");
    }

    boolean hasRowChecks() {
        return !rowChecks().isEmpty();
    }

    private List<RowCheck> rowChecks() {
        List<RowCheck> checks = new ArrayList<>();
        if (part.format() == IngestFormat.JSONL) {
            checks.add(new RowCheck("__not_object", Optional.empty(), "NULL", "not a JSON object"));
        }
        for (DatasetColumn column : dataset.columns()) {
            SourceColumn source = sources.get(column.name());
            if (source == null) {
                continue;
            }
            String name = identifier(column.name());
            Optional<DatasetColumn> reported = Optional.of(column);
            if (!column.isText()) {
                checks.add(new RowCheck(badName(column) + " IS NOT NULL", reported, badName(column), typeReason(column)));
            }
            if (column.isDecimal() && source.isText()) {
                checks.add(new RowCheck(excessName(column) + " IS NOT NULL", reported, excessName(column),
                        "has more decimal places than " + column.type() + " keeps"));
            }
            if (column.required()) {
                String missing = column.isText() ? name + " IS NULL" : name + " IS NULL AND " + badName(column) + " IS NULL";
                checks.add(new RowCheck(missing, reported, "NULL", "a value is required"));
            }
            if (column.isTemporal()) {
                checks.add(new RowCheck("%s < DATE '%s' OR %s > DATE '%s'".formatted(name, EARLIEST, name, LATEST), reported, name,
                        "is outside %s to %s".formatted(EARLIEST, LATEST)));
            }
        }
        for (Check check : dataset.checks()) {
            DatasetColumn column = dataset.column(check.columns().get(0)).orElseThrow();
            checks.add(new RowCheck("NOT " + check.expression(), Optional.of(column), identifier(column.name()), check.reason()));
        }
        if (part.mode() == IngestMode.REPLACE) {
            // One problem per row outside, on the first partition column it does not match.
            List<String> partitionColumns = part.partition().columns();
            for (int term = 0; term < partitionColumns.size(); term++) {
                DatasetColumn column = dataset.column(partitionColumns.get(term)).orElseThrow();
                checks.add(new RowCheck(part.partition().firstMismatch("s", term), Optional.of(column), identifier(column.name()),
                        "is outside the partition being replaced (" + part.partition().describe() + ")"));
            }
        }
        return checks;
    }

    private static String typeReason(DatasetColumn column) {
        String type = column.type();
        if (type.equals("DATE")) {
            return "not a date (YYYY-MM-DD)";
        }
        if (type.startsWith("TIMESTAMP")) {
            return "not a timestamp (ISO 8601, e.g. 2025-03-31T14:05:00Z; without an offset it is read as UTC)";
        }
        if (column.isDecimal()) {
            return "not a number that fits " + type;
        }
        if (column.isInteger()) {
            return "not a whole number that fits " + type;
        }
        return "not a valid " + type;
    }

    /** Set-based checks: unknown dimension keys, currencies, duplicate keys, keys that already exist. */
    List<SqlText> setProblems() {
        List<SqlText> statements = new ArrayList<>();
        for (DatasetColumn column : dataset.columns()) {
            if (!sources.containsKey(column.name())) {
                continue;
            }
            if (column.currency()) {
                statements.add(problemWithout(column, Iso4217.TABLE, "code", "true", "not an ISO 4217 currency code"));
            }
            column.references().ifPresent(dimension -> statements.add(reference(column, dimension)));
        }
        if (dataset.name().equals("dim_currency") && sources.containsKey("minor_units")) {
            statements.add(SqlText.of(problemSelect(dataset.column("minor_units").orElseThrow(), "s.minor_units",
                    "'ISO 4217 gives ' || s.currency_code || ' ' || i.minor_units || ' minor units'")
                    + " JOIN " + Iso4217.TABLE + " AS i ON i.code = s.currency_code WHERE s.minor_units <> i.minor_units"));
        }
        if (!part.keepLastOfDuplicates()) {
            statements.add(duplicateKeys());
        }
        if (part.mode() == IngestMode.APPEND) {
            statements.add(existingKeys(new SqlText(), "key already in " + dataset.name() + ": upsert replaces it, replace re-imports its partition"));
        }
        if (part.mode() == IngestMode.REPLACE) {
            statements.add(existingKeys(SqlText.of(" AND NOT (").append(part.partition().sql("t")).append(")"),
                    "key already in " + dataset.name() + " outside the partition being replaced"));
        }
        return statements;
    }

    private SqlText reference(DatasetColumn column, String dimension) {
        String key = keyOf(dimension);
        if (dimension.equals("dim_currency")) {
            return problemWithout(column, identifier(dimension), identifier(key), "s." + identifier(column.name()) + " IN (SELECT code FROM " + Iso4217.TABLE + ")",
                    "currency not in dim_currency: import it into dim_currency first");
        }
        return problemWithout(column, identifier(dimension), identifier(key), "true", "unknown " + key + ": not in " + dimension);
    }

    /**
     * A problem on every row whose non-null {@code column} matching {@code condition} is not a
     * {@code key} of {@code table}. An anti join: the correlated {@code NOT EXISTS} it replaces took
     * 143 against 80 ms for 5 million rows.
     */
    private SqlText problemWithout(DatasetColumn column, String table, String key, String condition, String reason) {
        String value = "s." + identifier(column.name());
        return SqlText.of(problemSelect(column, value, literal(reason)) + " ANTI JOIN " + table + " AS d ON d." + key + " = " + value
                + " WHERE " + value + " IS NOT NULL AND " + condition);
    }

    private static String keyOf(String dimension) {
        return switch (dimension) {
            case "dim_currency" -> "currency_code";
            case "dim_entity" -> "entity_id";
            case "dim_channel" -> "channel_id";
            case "dim_department" -> "department_id";
            case "dim_product" -> "product_id";
            case "dim_campaign" -> "campaign_id";
            case "dim_cs_program" -> "program_id";
            case "dim_gl_account" -> "account_id";
            case "dim_customer" -> "customer_id";
            case "dim_contract" -> "contract_id";
            default -> throw new IllegalArgumentException("no key known for " + dimension);
        };
    }

    private String problemSelect(DatasetColumn column, String value, String reason) {
        return "INSERT INTO " + PROBLEMS + " SELECT " + literal(dataset.name()) + ", " + index + ", " + row("s") + ", " + literal(column.name()) + ", "
                + column.position() + ", left(CAST(" + value + " AS VARCHAR), 200), " + reason + " FROM " + stageTable() + " AS s";
    }

    private SqlText duplicateKeys() {
        List<DatasetColumn> key = keyColumns();
        String columns = key.stream().map(column -> identifier(column.name())).collect(Collectors.joining(", "));
        String notNull = key.stream().filter(DatasetColumn::required).map(column -> identifier(column.name()) + " IS NOT NULL")
                .collect(Collectors.joining(" AND "));
        // Repeated 64-bit hashes of the keys are found first, by sorting them and comparing neighbours: 400 ms for 5
        // million text keys, against 580 grouping by the hash and 720 grouping by the keys. Only the rows of a
        // repeated hash are then grouped by their keys, so a collision is no problem.
        String where = notNull.isEmpty() ? "true" : notNull;
        String repeatedHashes = "SELECT DISTINCT h FROM (SELECT h, h = lag(h) OVER (ORDER BY h) AS repeated FROM (SELECT hash(" + columns + ") AS h FROM "
                + stageTable() + " WHERE " + where + ")) WHERE repeated";
        String grouped = "SELECT " + columns + ", min(" + row("g") + ") AS first_row FROM " + stageTable() + " AS g WHERE " + where + " AND hash(" + columns + ") IN ("
                + repeatedHashes + ") GROUP BY " + columns + " HAVING count(*) > 1";
        return SqlText.of("INSERT INTO " + PROBLEMS + " SELECT " + literal(dataset.name()) + ", " + index + ", " + row("s") + ", " + literal(keyLabel()) + ", "
                + key.get(0).position() + ", left(" + keyText("s") + ", 200), 'duplicate key: the same key is on row ' || d.first_row FROM " + stageTable()
                + " AS s JOIN (" + grouped + ") AS d ON " + keyMatch("s", "d") + " WHERE " + row("s") + " <> d.first_row");
    }

    private SqlText existingKeys(SqlText extraCondition, String reason) {
        List<DatasetColumn> key = keyColumns();
        return SqlText.of("INSERT INTO " + PROBLEMS + " SELECT " + literal(dataset.name()) + ", " + index + ", " + row("s") + ", " + literal(keyLabel()) + ", "
                + key.get(0).position() + ", left(" + keyText("s") + ", 200), " + literal(reason) + " FROM " + stageTable() + " AS s SEMI JOIN "
                + identifier(dataset.name()) + " AS t ON " + keyMatch("t", "s")).append(extraCondition);
    }

    private List<DatasetColumn> keyColumns() {
        return dataset.key().stream().map(name -> dataset.column(name).orElseThrow()).toList();
    }

    private String keyLabel() {
        return String.join(", ", dataset.key());
    }

    private String keyText(String alias) {
        if (dataset.key().size() == 1) {
            return "CAST(" + alias + "." + identifier(dataset.key().get(0)) + " AS VARCHAR)";
        }
        return "concat_ws(', ', " + dataset.key().stream()
                .map(name -> literal(name + "=") + " || coalesce(CAST(" + alias + "." + identifier(name) + " AS VARCHAR), 'null')")
                .collect(Collectors.joining(", ")) + ")";
    }

    private String keyMatch(String left, String right) {
        return keyColumns().stream()
                .map(column -> left + "." + identifier(column.name()) + (column.required() ? " = " : " IS NOT DISTINCT FROM ") + right + "." + identifier(column.name()))
                .collect(Collectors.joining(" AND "));
    }

    // Writing ------------------------------------------------------------------------------------

    /** Rows of the staged batch whose key is already in the dataset (UPSERT replaces them). */
    SqlText countExistingKeys() {
        return SqlText.of("SELECT count(*) FROM " + stageTable() + " AS s WHERE EXISTS (SELECT 1 FROM " + identifier(dataset.name()) + " AS t WHERE "
                + keyMatch("t", "s") + ")");
    }

    /** Whether an upsert must copy the existing values of the columns this part does not set before replacing the rows. */
    boolean keepsExistingValues() {
        return part.keepUnsetColumns() && !unsetColumns().isEmpty();
    }

    /**
     * Copies into the staged rows of existing keys the values of the columns the part does not set,
     * so the delete and insert of an upsert leave those columns as they were (new keys keep NULL).
     */
    SqlText copyExistingValuesOfUnsetColumns() {
        String assignments = unsetColumns().stream().map(column -> identifier(column.name()) + " = t." + identifier(column.name()))
                .collect(Collectors.joining(", "));
        return SqlText.of("UPDATE " + stageTable() + " AS s SET " + assignments + " FROM " + identifier(dataset.name()) + " AS t WHERE " + keyMatch("t", "s"));
    }

    private List<DatasetColumn> unsetColumns() {
        return dataset.columns().stream().filter(column -> !sources.containsKey(column.name()) && !dataset.key().contains(column.name())).toList();
    }

    SqlText deleteExistingKeys() {
        return SqlText.of("DELETE FROM " + identifier(dataset.name()) + " AS t WHERE EXISTS (SELECT 1 FROM " + stageTable() + " AS s WHERE "
                + keyMatch("t", "s") + ")");
    }

    SqlText deletePartition() {
        return SqlText.of("DELETE FROM " + identifier(dataset.name()) + " AS t WHERE ").append(part.partition().sql("t"));
    }

    /**
     * Inserts the staged rows; {@code skipRowsWithProblems} leaves out rows that have a problem, which
     * only a batch already bound to roll back does (so later parts are checked against the good rows).
     */
    SqlText insert(boolean skipRowsWithProblems) {
        String columns = dataset.columns().stream().map(column -> identifier(column.name())).collect(Collectors.joining(", "));
        String where = skipRowsWithProblems
                ? " WHERE " + row("s") + " NOT IN (SELECT row_number FROM " + PROBLEMS + " WHERE part = " + index + " AND row_number IS NOT NULL)"
                : "";
        return SqlText.of("INSERT INTO " + identifier(dataset.name()) + " (" + columns + ") SELECT " + columns + " FROM " + stageTable() + " AS s" + where);
    }

    SqlText dropStage() {
        return SqlText.of("DROP TABLE " + stageTable());
    }
}
