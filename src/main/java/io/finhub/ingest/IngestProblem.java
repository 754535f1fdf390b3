package io.finhub.ingest;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * One reason a batch was rejected.
 *
 * @param dataset the dataset the row was meant for
 * @param row 1-based number of the record in its file (the first line after a CSV header is row 1;
 *     for a Singer stream, the line of the RECORD message), or null for a problem of the whole file
 * @param column the column concerned, or null
 * @param value the offending value as text (cut to 200 characters), or null
 * @param reason what is wrong, written for the person who fixes the file
 */
public record IngestProblem(String dataset, Long row, String column, String value, String reason) {
    public IngestProblem {
        requireNonNull(dataset, "dataset is null");
        requireNonNull(reason, "reason is null");
    }

    static IngestProblem ofFile(String dataset, String reason) {
        return new IngestProblem(dataset, null, null, null, reason);
    }

    /** One line for a terminal: {@code fact_spend row 12, amount '1O0': not a decimal number}. */
    public String describe() {
        List<String> location = new ArrayList<>();
        if (row != null) {
            location.add("row " + row);
        }
        if (column != null) {
            location.add(column);
        }
        String where = location.isEmpty() ? "" : " " + String.join(", ", location);
        String shown = value == null ? "" : " '" + value + "'";
        return dataset + where + shown + ": " + reason;
    }
}
