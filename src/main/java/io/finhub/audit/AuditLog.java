package io.finhub.audit;

import static java.util.Objects.requireNonNull;

import io.finhub.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only, hash-chained audit log ({@code audit_log}): imports, mutations, forecast
 * adjustments, alert rule changes, retention runs and every use of a token to write. Each entry
 * carries the hash of the one before, so {@link #verify()} finds any entry that was altered,
 * inserted or deleted. Deleting the newest entries leaves a shorter chain that is still intact, so
 * the head (sequence and hash) is also written beside a file database ({@code <db>.audit-head})
 * after every append and checked too. An entry is written in the same transaction as the change it
 * records ({@link #inTransaction}), so a committed change always has its entry.
 */
public final class AuditLog {
    static final String GENESIS = "0".repeat(64);
    private static final String PENDING = "pending";
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    /** Appends from every log of this process take turns, so two never claim the same sequence number. */
    private static final Object APPEND_LOCK = new Object();

    private final Store store;
    private final Clock clock;
    private final Optional<Path> headFile;

    public AuditLog(Store store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.headFile = store.config().path().map(path -> path.resolveSibling(path.getFileName() + ".audit-head"));
    }

    /** What to append; the log gives it its sequence number, time and hashes. */
    public record Draft(String actor, String action, String target, String detail) {
        public Draft {
            requireNonNull(actor, "actor is null");
            requireNonNull(action, "action is null");
            requireNonNull(target, "target is null");
            requireNonNull(detail, "detail is null");
        }
    }

    /** Appends one entry after the current head, in a transaction of its own, and returns it. */
    public AuditEntry append(String actor, String action, String target, String detail) {
        Draft draft = new Draft(actor, action, target, detail);
        try (Handle handle = store.jdbi().open()) {
            return commit(handle, transaction -> null, nothing -> draft).entry();
        }
    }

    /**
     * Runs {@code change} in one transaction on {@code handle} and appends its entry ({@code entryOf}
     * its result) in that same transaction: the change and its audit entry commit together or not at
     * all, so no committed change is ever missing from the log (an import once committed, then the
     * process died before its entry was appended in a second transaction). If {@code change} throws,
     * nothing is written.
     */
    public <R, X extends Exception> R inTransaction(Handle handle, HandleCallback<R, X> change, Function<? super R, Draft> entryOf) throws X {
        return commit(handle, change, entryOf).result();
    }

    private record Committed<R>(R result, AuditEntry entry) {}

    /**
     * The change runs first, outside the lock (an import may take minutes). Then, under the lock and
     * until the commit, the entry is chained to the newest committed one, read on a connection of its
     * own (this transaction's snapshot may predate appends committed meanwhile). The head file names
     * the entry as pending before the commit and as the head after it, so a crash in between leaves a
     * file that {@link #verify()} accepts whether or not the commit happened.
     */
    private <R, X extends Exception> Committed<R> commit(Handle handle, HandleCallback<R, X> change, Function<? super R, Draft> entryOf) throws X {
        handle.begin();
        try {
            R result = change.withHandle(handle);
            Draft draft = requireNonNull(entryOf.apply(result), "the audit entry is null");
            synchronized (APPEND_LOCK) {
                Head previous = store.jdbi().withHandle(AuditLog::committedHead);
                AuditEntry entry = insertAfter(handle, headMissing(previous) ? missingHeadNoted(handle, previous) : previous, draft);
                writeHead(previous, Optional.of(entry));
                commitOrRestoreHead(handle, previous);
                recordCommittedHead(entry);
                return new Committed<>(result, entry);
            }
        }
        catch (Throwable failure) {
            rollback(handle, failure);
            throw failure;
        }
    }

    private AuditEntry insertAfter(Handle handle, Head previous, Draft draft) {
        long seq = previous.seq() + 1;
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        AuditEntry appended = new AuditEntry(seq, at, draft.actor(), draft.action(), draft.target(), draft.detail(), previous.hash(),
                hash(seq, at, draft.actor(), draft.action(), draft.target(), draft.detail(), previous.hash()));
        handle.createUpdate("INSERT INTO audit_log VALUES (:seq, :at, :actor, :action, :target, :detail, :prevHash, :hash)")
                .bind("seq", appended.seq())
                .bind("at", utc(appended.at()))
                .bind("actor", appended.actor())
                .bind("action", appended.action())
                .bind("target", appended.target())
                .bind("detail", appended.detail())
                .bind("prevHash", appended.prevHash())
                .bind("hash", appended.hash())
                .execute();
        return appended;
    }

    /** Whether the log has entries but the head file FinHub keeps beside a file database is not there (deleted, or never written by an older release). */
    private boolean headMissing(Head committed) {
        return committed.seq() > 0 && headFile.isPresent() && !Files.exists(headFile.get());
    }

    /**
     * Appends, before the entry being written and in its transaction, an entry saying the head file was missing after
     * entry {@code committed}: writing the head again would otherwise leave no trace that it had been deleted (with the
     * newest entries, say), which the head is there to show. Returns the head to chain the entry to.
     */
    private Head missingHeadNoted(Handle handle, Head committed) {
        LOG.warn("the audit head file {} is missing though the log has {} entries; noted in the log and written again", headFile.get(), committed.seq());
        AuditEntry noted = insertAfter(handle, committed, new Draft("finhub", "audit.head.missing", headFile.get().getFileName().toString(),
                "{\"lastSeq\":" + committed.seq() + ",\"lastHash\":\"" + committed.hash() + "\"}"));
        return new Head(noted.seq(), noted.hash());
    }

    private void commitOrRestoreHead(Handle handle, Head previous) {
        try {
            handle.commit();
        }
        catch (RuntimeException e) {
            writeHeadQuietly(previous, Optional.empty());
            throw e;
        }
    }

    /** After the commit the pending file already covers the entry: a head that cannot be written now is logged, not thrown at a committed change. */
    private void recordCommittedHead(AuditEntry entry) {
        writeHeadQuietly(new Head(entry.seq(), entry.hash()), Optional.empty());
    }

    private static void rollback(Handle handle, Throwable failure) {
        try {
            if (handle.isInTransaction()) {
                handle.rollback();
            }
        }
        catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** Entries after {@code afterSeq}, oldest first, at most {@code limit}. */
    public List<AuditEntry> entries(long afterSeq, int limit) {
        return store.jdbi().withHandle(handle -> handle.createQuery("SELECT * FROM audit_log WHERE seq > :after ORDER BY seq LIMIT :limit")
                .bind("after", afterSeq)
                .bind("limit", limit)
                .map((row, context) -> entry(row))
                .list());
    }

    /** Walks the whole chain and reports every entry that is altered, missing or not chained to its predecessor. */
    public AuditVerification verify() {
        List<String> problems = new ArrayList<>();
        Long[] firstBroken = {null};
        long[] count = {0};
        String[] previousHash = {GENESIS};
        long[] expectedSeq = {1};
        store.jdbi().useHandle(handle -> handle.createQuery("SELECT * FROM audit_log ORDER BY seq")
                .map((row, context) -> entry(row))
                .forEach(entry -> {
                    count[0]++;
                    if (entry.seq() != expectedSeq[0]) {
                        broken(problems, firstBroken, expectedSeq[0], "entries %d to %d are missing (deleted)".formatted(expectedSeq[0], entry.seq() - 1));
                    }
                    if (!entry.prevHash().equals(previousHash[0])) {
                        broken(problems, firstBroken, entry.seq(), "entry %d does not carry the hash of the entry before it (an entry was altered, inserted or deleted)"
                                .formatted(entry.seq()));
                    }
                    String recomputed = hash(entry.seq(), entry.at(), entry.actor(), entry.action(), entry.target(), entry.detail(), entry.prevHash());
                    if (!recomputed.equals(entry.hash())) {
                        broken(problems, firstBroken, entry.seq(), "entry %d was altered: its content no longer matches its hash".formatted(entry.seq()));
                    }
                    previousHash[0] = entry.hash();
                    expectedSeq[0] = entry.seq() + 1;
                }));
        long lastSeq = expectedSeq[0] - 1;
        checkHead(lastSeq, previousHash[0], problems, firstBroken);
        Optional<String> headHash = count[0] == 0 ? Optional.empty() : Optional.of(previousHash[0]);
        return new AuditVerification(problems.isEmpty(), count[0], problems, Optional.ofNullable(firstBroken[0]), headHash);
    }

    /**
     * The log must end at the head FinHub recorded last or, when a crash came while an entry was being
     * committed, at that pending entry (it committed) or before it (it did not).
     */
    private void checkHead(long lastSeq, String lastHash, List<String> problems, Long[] firstBroken) {
        if (headFile.isEmpty()) {
            return;
        }
        if (!Files.exists(headFile.get())) {
            if (lastSeq > 0) {
                // Deleted with the newest entries, the log would read as whole: a missing head is a problem in itself.
                broken(problems, firstBroken, lastSeq, "the audit head file %s is missing though the log has %d entries: the newest entries cannot be checked"
                        .formatted(headFile.get(), lastSeq));
            }
            return;
        }
        List<String> lines = read(headFile.get()).lines().filter(line -> !line.isBlank()).toList();
        Optional<Head> recordedHead = lines.isEmpty() ? Optional.empty() : Head.parse(lines.get(0));
        Optional<Head> pending = lines.size() == 2 && lines.get(1).startsWith(PENDING + " ")
                ? Head.parse(lines.get(1).substring(PENDING.length() + 1))
                : Optional.empty();
        if (recordedHead.isEmpty() || lines.size() > 2 || (lines.size() == 2 && pending.isEmpty())) {
            problems.add("the audit head file " + headFile.get() + " is not '<seq> <hash>' with at most a line 'pending <seq> <hash>'");
            return;
        }
        Head recorded = recordedHead.get();
        Head newest = pending.orElse(recorded);
        if (recorded.seq() > lastSeq) {
            broken(problems, firstBroken, lastSeq + 1, "the log ends at entry %d but entry %d was written: the newest entries were deleted".formatted(lastSeq, recorded.seq()));
        }
        else if (newest.seq() < lastSeq) {
            broken(problems, firstBroken, newest.seq() + 1, "entries after %d were not written by FinHub (the recorded head is %d)".formatted(newest.seq(), newest.seq()));
        }
        else {
            Head expected = lastSeq == recorded.seq() ? recorded : newest;
            if (!expected.hash().equals(lastHash)) {
                broken(problems, firstBroken, lastSeq, "entry %d is not the entry FinHub wrote last (its hash differs from the recorded head)".formatted(lastSeq));
            }
        }
    }

    private static void broken(List<String> problems, Long[] firstBroken, long seq, String problem) {
        problems.add(problem);
        if (firstBroken[0] == null || seq < firstBroken[0]) {
            firstBroken[0] = seq;
        }
    }

    /** A sequence number and the hash of its entry: the head of the chain, {@code 0} and {@link #GENESIS} when it is empty. */
    private record Head(long seq, String hash) {
        static final Head EMPTY = new Head(0, GENESIS);

        String line() {
            return seq + " " + hash;
        }

        static Optional<Head> parse(String line) {
            String[] parts = line.trim().split(" ");
            if (parts.length != 2 || !parts[0].matches("[0-9]+")) {
                return Optional.empty();
            }
            return Optional.of(new Head(Long.parseLong(parts[0]), parts[1]));
        }
    }

    private static Head committedHead(Handle handle) {
        return handle.createQuery("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                .map((row, context) -> new Head(row.getLong("seq"), row.getString("hash")))
                .findOne()
                .orElse(Head.EMPTY);
    }

    private static AuditEntry entry(java.sql.ResultSet row) throws java.sql.SQLException {
        return new AuditEntry(row.getLong("seq"), row.getObject("recorded_at", LocalDateTime.class).toInstant(ZoneOffset.UTC), row.getString("actor"),
                row.getString("action"), row.getString("target"), row.getString("detail"), row.getString("prev_hash"), row.getString("hash"));
    }

    /**
     * Writes {@code <seq> <hash>} of the head and, while an entry is being committed, a second line
     * {@code pending <seq> <hash>} naming it.
     */
    private void writeHead(Head head, Optional<AuditEntry> pending) {
        if (headFile.isEmpty()) {
            return;
        }
        String text = head.line() + "\n" + pending.map(entry -> PENDING + " " + entry.seq() + " " + entry.hash() + "\n").orElse("");
        try {
            Path temporary = headFile.get().resolveSibling(headFile.get().getFileName() + ".tmp");
            Files.writeString(temporary, text, StandardCharsets.US_ASCII);
            Files.move(temporary, headFile.get(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot record the audit head in " + headFile.get(), e);
        }
    }

    private void writeHeadQuietly(Head head, Optional<AuditEntry> pending) {
        try {
            writeHead(head, pending);
        }
        catch (UncheckedIOException e) {
            LOG.error("could not record the audit head {}; the head file still names it as pending", head.line(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit head " + file, e);
        }
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** SHA-256 over every field, each length-prefixed so no two different entries hash the same text. */
    static String hash(long seq, Instant at, String actor, String action, String target, String detail, String prevHash) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {Long.toString(seq), at.toString(), actor, action, target, detail, prevHash}) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
                sha.update((byte) ':');
                sha.update(bytes);
            }
            return HexFormat.of().formatHex(sha.digest());
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
