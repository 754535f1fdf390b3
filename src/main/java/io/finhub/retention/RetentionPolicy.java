package io.finhub.retention;

import static java.util.Objects.requireNonNull;

import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import java.time.LocalDate;

/**
 * Keep {@code dataset}'s rows for {@code keepMonths} months, measured by its date column.
 *
 * @param dataset a fact dataset, e.g. {@code fact_touchpoint}
 * @param keepMonths rows dated more than this many months before the run go; at least 1
 */
public record RetentionPolicy(String dataset, int keepMonths) {
    public RetentionPolicy {
        requireNonNull(dataset, "dataset is null");
        if (RetentionDatasets.dateColumn(dataset).isEmpty()) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "retention policy for '%s': no such fact dataset; a policy names one of %s"
                    .formatted(dataset, RetentionDatasets.names()));
        }
        if (keepMonths <= 0) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "retention policy for %s: keep months must be at least 1, was %d".formatted(dataset, keepMonths));
        }
    }

    /** The column a row's age is measured by, e.g. {@code touched_at}. */
    public String dateColumn() {
        return RetentionDatasets.dateColumn(dataset).orElseThrow();
    }

    /** Rows dated before this day go when the policy is applied on {@code today}. */
    public LocalDate cutoff(LocalDate today) {
        return today.minusMonths(keepMonths);
    }
}
