package io.finhub.ingest;

import io.finhub.ingest.Dataset.DatasetColumn;
import io.finhub.ingest.IngestProgress.Phase;
import io.finhub.ingest.IngestResult.DatasetResult;
import io.finhub.ingest.PartSql.SourceColumn;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import org.jdbi.v3.core.Handle;

/**
 * Runs one batch on one connection: stage every part's file into a temporary table, then, in the
 * caller's transaction, record every problem and write the parts only when there is none.
 */
final class BatchRunner {
    private final Handle handle;
    private final SqlRunner sql;
    private final IngestProgress progress;
    private final List<BatchPart> parts;
    private final List<IngestProblem> problems;

    /**
     * @param problems problems found before any part was read (a malformed Singer line)
     */
    BatchRunner(Handle handle, List<BatchPart> parts, List<IngestProblem> problems, IngestProgress progress, Optional<ScheduledExecutorService> poller) {
        this.handle = handle;
        this.parts = List.copyOf(parts);
        this.problems = List.copyOf(problems);
        this.progress = progress;
        this.sql = new SqlRunner(handle, progress, poller);
    }

    /**
     * Reads every part's file into its staging table, outside any transaction: a file DuckDB cannot
     * read fails its own statement only, and becomes a problem of the batch. {@link #cancelStaging}
     * may interrupt it meanwhile.
     */
    List<PartSql> stage() throws SQLException {
        try {
            sql.enableProgress();
            Iso4217.standard().createTempTable(handle);
            sql.update(SqlText.of("CREATE TEMP TABLE " + PartSql.PROBLEMS
                    + " (dataset VARCHAR, part INTEGER, row_number BIGINT, column_name VARCHAR, column_position INTEGER, value VARCHAR, reason VARCHAR)"));
            problems.forEach(problem -> addProblem(-1, problem));
            List<PartSql> staged = new ArrayList<>();
            for (int index = 0; index < parts.size(); index++) {
                stage(index, parts.get(index)).ifPresent(staged::add);
            }
            return staged;
        }
        finally {
            sql.stopCancelling();
        }
    }

    /**
     * Called from another thread while {@link #stage} runs (the batch turned out to be imported
     * before): interrupts the file being read and skips the rest, whose problems then mean nothing.
     * Once staging has ended it does nothing.
     */
    void cancelStaging() {
        sql.cancel();
    }

    /** Whether {@link #cancelStaging} interrupted the staging, so the staged parts are not the batch's. */
    boolean stagingCancelled() {
        return sql.cancelled();
    }

    /**
     * Inside the batch's transaction: checks each staged part against the store as the earlier parts
     * left it, then writes it. Throws {@link BatchRejected} when any part has a problem or no part
     * has a row, so the caller rolls everything back.
     */
    List<DatasetResult> validateAndWrite(List<PartSql> staged) throws SQLException {
        List<DatasetResult> results = new ArrayList<>();
        long totalRows = 0;
        for (int position = 0; position < staged.size(); position++) {
            PartSql partSql = staged.get(position);
            BatchPart part = partSql.part();
            progress.phase(part.dataset().name(), Phase.VALIDATING);
            long rows = sql.count(partSql.countStaged());
            if (part.glLines()) {
                sql.update(partSql.skipBalanceSheetLines());
                sql.update(partSql.applyNaturalSign());
                rows = sql.count(partSql.countStaged());
            }
            totalRows += rows;
            if (part.mode() == IngestMode.UPSERT && partSql.keepsExistingValues()) {
                // Before the checks, so a CHECK across a set and a kept column (end_date >= start_date) sees the row as it will be written.
                sql.update(partSql.copyExistingValuesOfUnsetColumns());
            }
            validate(partSql);
            if (rows > 0 && problemCount() == 0) {
                results.add(write(partSql, part, rows));
            }
            else if (rows > 0 && position < staged.size() - 1) {
                writeGoodRowsForLaterParts(partSql);
            }
            sql.update(partSql.dropStage());
        }
        long problems = problemCount();
        if (problems > 0) {
            throw BatchRejected.withProblems(firstProblems(), problems);
        }
        if (totalRows == 0) {
            throw BatchRejected.empty();
        }
        return results;
    }

    private Optional<PartSql> stage(int index, BatchPart part) throws SQLException {
        String dataset = part.dataset().name();
        progress.phase(dataset, Phase.READING);
        Map<String, SourceColumn> sources;
        try {
            sources = matchColumns(index, part, describe(part));
        }
        catch (SQLException e) {
            addProblem(index, unreadableProblem(part, e));
            return Optional.empty();
        }
        PartSql partSql = new PartSql(part, index, sources);
        try {
            if (partSql.numbersRowsByPosition()) {
                sql.inInsertionOrder(() -> sql.trackedUpdate(partSql.stage(), dataset, Phase.READING));
                if (part.glLines()) {
                    sql.update(partSql.numberRowsByPosition());
                }
            }
            else {
                sql.trackedUpdate(partSql.stage(), dataset, Phase.READING);
            }
        }
        catch (SQLException e) {
            addProblem(index, unreadableProblem(part, e));
            return Optional.empty();
        }
        if (part.format() == IngestFormat.CSV && sql.count(partSql.countRejectedLines()) > 0) {
            sql.update(partSql.rejectedLines());
            sql.update(partSql.renumberAroundRejects());
        }
        return Optional.of(partSql);
    }

    /** The file's column names and DuckDB types. */
    private Map<String, String> describe(BatchPart part) throws SQLException {
        if (part.format() != IngestFormat.JSONL) {
            return sql.columns(PartSql.describeSource(part));
        }
        Map<String, String> keys = new LinkedHashMap<>();
        for (Map<String, Object> row : sql.query(PartSql.describeSource(part))) {
            keys.put((String) row.get("key"), "VARCHAR");
        }
        return keys;
    }

    /** Matches the file's columns to the dataset's, case-insensitively; reports unknown, repeated and missing required columns. */
    private Map<String, SourceColumn> matchColumns(int index, BatchPart part, Map<String, String> fileColumns) {
        Dataset dataset = part.dataset();
        Map<String, SourceColumn> sources = new LinkedHashMap<>();
        for (Map.Entry<String, String> fileColumn : fileColumns.entrySet()) {
            String name = fileColumn.getKey();
            if (name.equals(BatchPart.LINE_FIELD) || part.format() == IngestFormat.PARQUET && name.equals("file_row_number")) {
                continue;
            }
            Optional<DatasetColumn> column = dataset.column(name.trim().toLowerCase(Locale.ROOT));
            if (column.isEmpty()) {
                addProblem(index, new IngestProblem(dataset.name(), null, name, null,
                        "unknown column; " + dataset.name() + " has " + String.join(", ", dataset.columnNames())));
                continue;
            }
            if (sources.containsKey(column.get().name())) {
                addProblem(index, new IngestProblem(dataset.name(), null, name, null, "column given twice"));
                continue;
            }
            sources.put(column.get().name(), new SourceColumn(name, fileColumn.getValue()));
        }
        for (DatasetColumn column : dataset.columns()) {
            if (column.required() && !sources.containsKey(column.name())) {
                addProblem(index, new IngestProblem(dataset.name(), null, column.name(), null, "required column is missing from the file"));
            }
        }
        return sources;
    }

    private void validate(PartSql partSql) throws SQLException {
        if (partSql.hasRowChecks()) {
            sql.update(partSql.rowProblems());
        }
        for (SqlText statement : partSql.setProblems()) {
            sql.update(statement);
        }
    }

    /**
     * The batch is already rejected, but later parts refer to this one (a connector's accounts, then
     * its journal entries): writing this part's good rows, in a transaction bound to roll back, keeps
     * the later parts from reporting every reference to a rejected row as unknown.
     */
    private void writeGoodRowsForLaterParts(PartSql partSql) throws SQLException {
        if (sql.count(partSql.countFileProblems()) > 0) {
            return;
        }
        List<IngestProblem> problems = firstProblems();
        long count = problemCount();
        try {
            sql.update(partSql.insert(true));
        }
        catch (SQLException e) {
            throw BatchRejected.withProblems(problems, count);
        }
    }

    private DatasetResult write(PartSql partSql, BatchPart part, long rows) throws SQLException {
        String dataset = part.dataset().name();
        progress.phase(dataset, Phase.WRITING);
        long updated = 0;
        long deleted = 0;
        switch (part.mode()) {
            case APPEND -> {}
            case UPSERT -> {
                updated = sql.count(partSql.countExistingKeys());
                sql.update(partSql.deleteExistingKeys());
            }
            case REPLACE -> deleted = sql.update(partSql.deletePartition());
        }
        long inserted = sql.trackedUpdate(partSql.insert(false), dataset, Phase.WRITING);
        return new DatasetResult(dataset, part.mode(), part.partition().describe(), rows, part.mode() == IngestMode.UPSERT ? inserted - updated : inserted,
                updated, deleted);
    }

    private long problemCount() throws SQLException {
        return sql.count(SqlText.of("SELECT count(*) FROM " + PartSql.PROBLEMS));
    }

    private List<IngestProblem> firstProblems() throws SQLException {
        List<IngestProblem> problems = new ArrayList<>();
        for (Map<String, Object> row : sql.query(SqlText.of("SELECT dataset, row_number, column_name, value, reason FROM " + PartSql.PROBLEMS
                + " ORDER BY part, row_number NULLS FIRST, column_position NULLS FIRST, reason LIMIT " + IngestResult.PROBLEMS_SHOWN))) {
            Number rowNumber = (Number) row.get("row_number");
            problems.add(new IngestProblem((String) row.get("dataset"), rowNumber == null ? null : rowNumber.longValue(), (String) row.get("column_name"),
                    (String) row.get("value"), (String) row.get("reason")));
        }
        return problems;
    }

    private void addProblem(int part, IngestProblem problem) {
        handle.createUpdate("INSERT INTO " + PartSql.PROBLEMS + " VALUES (:dataset, :part, :row, :column, NULL, :value, :reason)")
                .bind("dataset", problem.dataset())
                .bind("part", part)
                .bind("row", problem.row())
                .bind("column", problem.column())
                .bind("value", problem.value())
                .bind("reason", problem.reason())
                .execute();
    }

    /**
     * Why a file could not be read: for JSON lines the first line that is not JSON, as that row (DuckDB
     * names a line of its own count and no row), else DuckDB's reason for the whole file.
     */
    private static IngestProblem unreadableProblem(BatchPart part, SQLException e) {
        String dataset = part.dataset().name();
        Optional<IngestProblem> line = part.format() == IngestFormat.JSONL ? JsonLines.firstMalformedLine(dataset, part.file()) : Optional.empty();
        return line.orElseGet(() -> IngestProblem.ofFile(dataset, unreadable(part, e)));
    }

    /** DuckDB's reason a file could not be read, first line only, naming the source instead of a temporary path. */
    private static String unreadable(BatchPart part, SQLException e) {
        String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("").trim();
        message = message.replace(part.file().toString(), part.sourceName());
        return "cannot read the file as " + part.format().name() + ": " + message;
    }
}
