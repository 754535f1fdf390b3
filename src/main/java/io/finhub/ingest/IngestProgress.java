package io.finhub.ingest;

/**
 * Hears how far a batch has come, for a progress line on the command line. Calls come from the
 * importing thread (phases) and from a polling thread (percentages), never concurrently for one batch.
 */
public interface IngestProgress {
    enum Phase {
        CHECKSUM,
        READING,
        VALIDATING,
        WRITING,
        COMMITTING
    }

    /** A new phase of one dataset's part of the batch has started. */
    void phase(String dataset, Phase phase);

    /** DuckDB's estimate of the current statement's progress, 0 to 100. */
    default void percent(String dataset, Phase phase, double percent) {}

    IngestProgress NONE = (dataset, phase) -> {};
}
