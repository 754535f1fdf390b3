package io.finhub.ingest;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of one batch. A REJECTED result carries the first {@value #PROBLEMS_SHOWN} problems,
 * ordered by row, and the total count.
 *
 * @param batchId set when COMMITTED or ALREADY_IMPORTED
 * @param dataVersion the data version the batch created (or had created, when ALREADY_IMPORTED)
 * @param singerState the last Singer STATE value (JSON text) of a Singer batch
 */
public record IngestResult(
        IngestStatus status,
        Optional<String> batchId,
        String idempotencyKey,
        String checksum,
        Optional<Long> dataVersion,
        Optional<Instant> committedAt,
        List<DatasetResult> datasets,
        List<IngestProblem> problems,
        long problemCount,
        Optional<String> singerState) {

    public static final int PROBLEMS_SHOWN = 100;

    public IngestResult {
        requireNonNull(status, "status is null");
        requireNonNull(batchId, "batchId is null");
        requireNonNull(idempotencyKey, "idempotencyKey is null");
        requireNonNull(checksum, "checksum is null");
        requireNonNull(dataVersion, "dataVersion is null");
        requireNonNull(committedAt, "committedAt is null");
        datasets = List.copyOf(requireNonNull(datasets, "datasets is null"));
        problems = List.copyOf(requireNonNull(problems, "problems is null"));
        requireNonNull(singerState, "singerState is null");
    }

    /** Rows read over every dataset of the batch. */
    public long rowCount() {
        return datasets.stream().mapToLong(DatasetResult::rowsRead).sum();
    }

    /**
     * What a batch did to one dataset.
     *
     * @param partition the replaced partition, e.g. {@code entity_id=US, posting_date=2025-03}; empty unless REPLACE
     */
    public record DatasetResult(String dataset, IngestMode mode, String partition, long rowsRead, long inserted, long updated, long deleted) {
        public DatasetResult {
            requireNonNull(dataset, "dataset is null");
            requireNonNull(mode, "mode is null");
            requireNonNull(partition, "partition is null");
        }
    }
}
