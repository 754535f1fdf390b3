package io.finhub.audit;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One entry of the audit log. {@code hash} is the SHA-256 of every other field, {@code prevHash}
 * included, so changing any entry, or removing one, breaks the chain from there on.
 *
 * @param action what happened: {@code import}, {@code graphql.mutation}, {@code http.POST}, {@code retention}, ...
 * @param target what it happened to: the dataset, the mutation field, the path
 * @param detail JSON with the arguments and the outcome
 */
public record AuditEntry(long seq, Instant at, String actor, String action, String target, String detail, String prevHash, String hash) {
    public AuditEntry {
        requireNonNull(at, "at is null");
        requireNonNull(actor, "actor is null");
        requireNonNull(action, "action is null");
        requireNonNull(target, "target is null");
        requireNonNull(detail, "detail is null");
        requireNonNull(prevHash, "prevHash is null");
        requireNonNull(hash, "hash is null");
    }
}
