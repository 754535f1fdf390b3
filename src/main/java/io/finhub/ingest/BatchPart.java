package io.finhub.ingest;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * One dataset's share of a batch: a file DuckDB reads, and how its rows change the dataset.
 *
 * @param sourceName what problems and the audit call the input (a file name, {@code upload}, a Singer stream)
 * @param numberedRows the rows carry their own row number in a {@code __finhub_line} field (Singer:
 *     the stream line of the RECORD), instead of being numbered in file order
 * @param keepLastOfDuplicates rows repeating a key replace the earlier ones instead of being rejected
 *     (a Singer tap re-sends a record that changed during the sync)
 * @param glLines the rows are journal lines of a ledger: lines on accounts outside {@code dim_gl_account}
 *     (balance-sheet accounts) are skipped, and debit-positive amounts are turned to FinHub's
 *     convention (revenue earned and cost incurred both positive) by negating them on REVENUE accounts
 * @param keepUnsetColumns an upsert changes only the columns the file sets: an existing key keeps its values of the
 *     others (a Singer preset maps the columns the source system has, and must not erase the ones FinHub keeps
 *     beside them, such as an account's cost type); a file's upsert replaces the whole row
 */
record BatchPart(Dataset dataset, Path file, IngestFormat format, IngestMode mode, PartitionPredicate partition, String sourceName,
        boolean numberedRows, boolean keepLastOfDuplicates, boolean glLines, boolean keepUnsetColumns) {
    static final String LINE_FIELD = "__finhub_line";

    BatchPart {
        requireNonNull(dataset, "dataset is null");
        requireNonNull(file, "file is null");
        requireNonNull(format, "format is null");
        requireNonNull(mode, "mode is null");
        requireNonNull(partition, "partition is null");
        requireNonNull(sourceName, "sourceName is null");
    }

    static BatchPart ofFile(Dataset dataset, Path file, IngestFormat format, IngestMode mode, PartitionPredicate partition, String sourceName) {
        return new BatchPart(dataset, file, format, mode, partition, sourceName, false, false, false, false);
    }

    /**
     * A batch: every part is written in one transaction, or none is.
     *
     * @param problems problems found before any part was read (a malformed Singer line)
     * @param reapplicable whether the key is the default one of an upsert or a replace, which an earlier batch of the same
     *     content answers only while what it wrote is unchanged (see {@code IngestService#resolve})
     */
    record Batch(String idempotencyKey, String checksum, String actor, String source, List<BatchPart> parts, List<IngestProblem> problems,
            String singerState, boolean reapplicable) {
        Batch {
            requireNonNull(idempotencyKey, "idempotencyKey is null");
            requireNonNull(checksum, "checksum is null");
            requireNonNull(actor, "actor is null");
            requireNonNull(source, "source is null");
            parts = List.copyOf(requireNonNull(parts, "parts is null"));
            problems = List.copyOf(requireNonNull(problems, "problems is null"));
        }

        Batch withKey(String key) {
            return new Batch(key, checksum, actor, source, parts, problems, singerState, reapplicable);
        }

        List<String> datasetNames() {
            return parts.stream().map(part -> part.dataset().name()).toList();
        }
    }
}
