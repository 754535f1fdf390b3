package io.finhub.ingest;

/** What became of a batch. */
public enum IngestStatus {
    /** Every row was written in one transaction; the data version moved. */
    COMMITTED,
    /** A batch with the same idempotency key had committed before; nothing was written again. */
    ALREADY_IMPORTED,
    /** The batch broke the dataset's rules; nothing was written. */
    REJECTED,
    /** The batch held no rows; nothing was written. */
    NOTHING_TO_IMPORT
}
