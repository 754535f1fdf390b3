package io.finhub.ingest;

import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import java.util.Locale;

/** How a batch changes its dataset. */
public enum IngestMode {
    /** Add the rows; a key that already exists is a problem (facts). */
    APPEND,
    /** Insert new keys, replace the rows of existing keys (dimensions, and facts re-sent by a connector). */
    UPSERT,
    /** Delete every row of one partition (for example one month of one entity), then insert the batch (finance re-exports). */
    REPLACE;

    public static IngestMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException e) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "unknown mode '" + text + "': use append, upsert or replace");
        }
    }
}
