package io.finhub.retention;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * What one {@code retention apply} did, or with {@code dryRun} would do.
 *
 * @param dataVersion the data version the deletions committed as; empty for a dry run or when nothing was old enough
 */
public record RetentionRun(boolean dryRun, LocalDate today, List<Purge> purges, Optional<Long> dataVersion) {
    public RetentionRun {
        requireNonNull(today, "today is null");
        purges = List.copyOf(requireNonNull(purges, "purges is null"));
        requireNonNull(dataVersion, "dataVersion is null");
    }

    /** One dataset's rows dated before {@code cutoff}: deleted, or counted in a dry run. */
    public record Purge(RetentionPolicy policy, LocalDate cutoff, long rows) {
        public Purge {
            requireNonNull(policy, "policy is null");
            requireNonNull(cutoff, "cutoff is null");
        }
    }

    public long totalRows() {
        return purges.stream().mapToLong(Purge::rows).sum();
    }
}
