package io.finhub.ingest;

import static java.util.Objects.requireNonNull;

import io.finhub.ingest.IngestResult.DatasetResult;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One committed batch as the audit trail ({@code finhub_ingest_batch}) holds it: who, when, what, how many rows, which checksum. */
public record IngestBatch(String batchId, String idempotencyKey, Instant committedAt, String actor, String source, String checksum, long dataVersion,
        List<DatasetResult> datasets, Optional<String> singerState) {
    public IngestBatch {
        requireNonNull(batchId, "batchId is null");
        requireNonNull(idempotencyKey, "idempotencyKey is null");
        requireNonNull(committedAt, "committedAt is null");
        requireNonNull(actor, "actor is null");
        requireNonNull(source, "source is null");
        requireNonNull(checksum, "checksum is null");
        datasets = List.copyOf(requireNonNull(datasets, "datasets is null"));
        requireNonNull(singerState, "singerState is null");
    }

    public long rowCount() {
        return datasets.stream().mapToLong(DatasetResult::rowsRead).sum();
    }
}
