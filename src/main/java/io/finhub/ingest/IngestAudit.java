package io.finhub.ingest;

import static java.util.Objects.requireNonNull;

import io.finhub.ingest.IngestResult.DatasetResult;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The audit trail of committed batches ({@code finhub_ingest_batch}); it doubles as the record of
 * idempotency keys, written in the batch's own transaction so the two can never disagree.
 */
final class IngestAudit {
    private final Jdbi jdbi;

    IngestAudit(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    void record(Handle handle, IngestBatch batch) {
        handle.createUpdate("""
                INSERT INTO finhub_ingest_batch VALUES (:batchId, :idempotencyKey, :committedAt, :actor, :source, :checksum, :rowCount, :dataVersion, :singerState)""")
                .bind("batchId", batch.batchId())
                .bind("idempotencyKey", batch.idempotencyKey())
                .bind("committedAt", LocalDateTime.ofInstant(batch.committedAt(), ZoneOffset.UTC))
                .bind("actor", batch.actor())
                .bind("source", batch.source())
                .bind("checksum", batch.checksum())
                .bind("rowCount", batch.rowCount())
                .bind("dataVersion", batch.dataVersion())
                .bind("singerState", batch.singerState().orElse(null))
                .execute();
        for (DatasetResult dataset : batch.datasets()) {
            handle.createUpdate("""
                    INSERT INTO finhub_ingest_batch_dataset VALUES (:batchId, :dataset, :mode, :partition, :rowsRead, :inserted, :updated, :deleted)""")
                    .bind("batchId", batch.batchId())
                    .bind("dataset", dataset.dataset())
                    .bind("mode", dataset.mode().name())
                    .bind("partition", dataset.partition().isEmpty() ? null : dataset.partition())
                    .bind("rowsRead", dataset.rowsRead())
                    .bind("inserted", dataset.inserted())
                    .bind("updated", dataset.updated())
                    .bind("deleted", dataset.deleted())
                    .execute();
        }
    }

    Optional<IngestBatch> find(String idempotencyKey) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM finhub_ingest_batch WHERE idempotency_key = :key")
                .bind("key", idempotencyKey)
                .map((row, context) -> row.getString("batch_id"))
                .findOne()
                .map(batchId -> load(handle, batchId)));
    }

    /** The batches of a default key: imported under it or, applied again, under it with {@code #2}, {@code #3}, ... appended; newest first. */
    List<IngestBatch> findAll(String defaultKey) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT batch_id FROM finhub_ingest_batch
                        WHERE idempotency_key = :key OR (starts_with(idempotency_key, :key || '#') AND regexp_full_match(substr(idempotency_key, length(:key) + 2), '[0-9]+'))
                        ORDER BY data_version DESC""")
                .bind("key", defaultKey)
                .mapTo(String.class)
                .list()
                .stream()
                .map(batchId -> load(handle, batchId))
                .toList());
    }

    /** Whether a change committed after {@code batch} (an import, a retention run, a sync) touched a dataset it wrote. */
    boolean changedSince(IngestBatch batch) {
        List<String> datasets = batch.datasets().stream().map(DatasetResult::dataset).toList();
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT count(*) > 0 FROM finhub_data_version WHERE version > :version AND list_has_any(datasets, string_split(:datasets, ','))""")
                .bind("version", batch.dataVersion())
                // Dataset names are identifiers (letters, digits, underscores): joined with commas and split again in SQL.
                .bind("datasets", String.join(",", datasets))
                .mapTo(Boolean.class)
                .one());
    }

    /** The most recent committed batches, newest first. */
    List<IngestBatch> recent(int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT batch_id FROM finhub_ingest_batch ORDER BY data_version DESC LIMIT :limit")
                .bind("limit", limit)
                .mapTo(String.class)
                .list()
                .stream()
                .map(batchId -> load(handle, batchId))
                .toList());
    }

    private static IngestBatch load(Handle handle, String batchId) {
        List<DatasetResult> datasets = handle.createQuery("SELECT * FROM finhub_ingest_batch_dataset WHERE batch_id = :batchId ORDER BY dataset")
                .bind("batchId", batchId)
                .map((row, context) -> new DatasetResult(row.getString("dataset"), IngestMode.valueOf(row.getString("mode")),
                        Optional.ofNullable(row.getString("partition_spec")).orElse(""), row.getLong("rows_read"), row.getLong("rows_inserted"),
                        row.getLong("rows_updated"), row.getLong("rows_deleted")))
                .list();
        return handle.createQuery("SELECT * FROM finhub_ingest_batch WHERE batch_id = :batchId")
                .bind("batchId", batchId)
                .map((row, context) -> new IngestBatch(row.getString("batch_id"), row.getString("idempotency_key"),
                        row.getObject("committed_at", LocalDateTime.class).toInstant(ZoneOffset.UTC), row.getString("actor"), row.getString("source"),
                        row.getString("checksum"), row.getLong("data_version"), datasets, Optional.ofNullable(row.getString("singer_state"))))
                .one();
    }
}
