package io.finhub.audit;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of walking the hash chain: intact, or every problem found, each naming the entry.
 *
 * @param firstBrokenSeq the first entry that is altered, missing or out of the chain
 * @param headHash the hash of the last entry (empty for an empty log): written down elsewhere, it proves later that nothing was cut off
 */
public record AuditVerification(boolean ok, long entries, List<String> problems, Optional<Long> firstBrokenSeq, Optional<String> headHash) {
    public AuditVerification {
        problems = List.copyOf(requireNonNull(problems, "problems is null"));
        requireNonNull(firstBrokenSeq, "firstBrokenSeq is null");
        requireNonNull(headHash, "headHash is null");
    }
}
