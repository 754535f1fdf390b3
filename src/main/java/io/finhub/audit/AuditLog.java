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
import org.jdbi.v3.core.Handle;

/**
 * The append-only, hash-chained audit log ({@code audit_log}): imports, mutations, forecast
 * adjustments, alert rule changes, retention runs and every use of a token to write. Each entry
 * carries the hash of the one before, so {@link #verify()} finds any entry that was altered,
 * inserted or deleted. Deleting the newest entries leaves a shorter chain that is still intact, so
 * the head (sequence and hash) is also written beside a file database ({@code <db>.audit-head})
 * after every append and checked too.
 */
public final class AuditLog {
    static final String GENESIS = "0".repeat(64);
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

    /** Appends one entry after the current head and returns it. */
    public AuditEntry append(String actor, String action, String target, String detail) {
        synchronized (APPEND_LOCK) {
            AuditEntry entry = store.jdbi().inTransaction(handle -> {
                Optional<AuditEntry> head = head(handle);
                long seq = head.map(AuditEntry::seq).orElse(0L) + 1;
                String prevHash = head.map(AuditEntry::hash).orElse(GENESIS);
                Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                AuditEntry appended = new AuditEntry(seq, at, actor, action, target, detail, prevHash,
                        hash(seq, at, actor, action, target, detail, prevHash));
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
            });
            writeHead(entry);
            return entry;
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

    private void checkHead(long lastSeq, String lastHash, List<String> problems, Long[] firstBroken) {
        if (headFile.isEmpty() || !Files.exists(headFile.get())) {
            return;
        }
        String[] recorded = read(headFile.get()).trim().split(" ");
        if (recorded.length != 2) {
            problems.add("the audit head file " + headFile.get() + " is not '<seq> <hash>'");
            return;
        }
        long headSeq = Long.parseLong(recorded[0]);
        if (headSeq > lastSeq) {
            broken(problems, firstBroken, lastSeq + 1, "the log ends at entry %d but entry %d was written: the newest entries were deleted".formatted(lastSeq, headSeq));
        }
        else if (headSeq < lastSeq) {
            broken(problems, firstBroken, headSeq + 1, "entries after %d were not written by FinHub (the recorded head is %d)".formatted(headSeq, headSeq));
        }
        else if (!recorded[1].equals(lastHash)) {
            broken(problems, firstBroken, lastSeq, "entry %d is not the entry FinHub wrote last (its hash differs from the recorded head)".formatted(lastSeq));
        }
    }

    private static void broken(List<String> problems, Long[] firstBroken, long seq, String problem) {
        problems.add(problem);
        if (firstBroken[0] == null || seq < firstBroken[0]) {
            firstBroken[0] = seq;
        }
    }

    private static Optional<AuditEntry> head(Handle handle) {
        return handle.createQuery("SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1").map((row, context) -> entry(row)).findOne();
    }

    private static AuditEntry entry(java.sql.ResultSet row) throws java.sql.SQLException {
        return new AuditEntry(row.getLong("seq"), row.getObject("recorded_at", LocalDateTime.class).toInstant(ZoneOffset.UTC), row.getString("actor"),
                row.getString("action"), row.getString("target"), row.getString("detail"), row.getString("prev_hash"), row.getString("hash"));
    }

    private void writeHead(AuditEntry entry) {
        if (headFile.isEmpty()) {
            return;
        }
        try {
            Path temporary = headFile.get().resolveSibling(headFile.get().getFileName() + ".tmp");
            Files.writeString(temporary, entry.seq() + " " + entry.hash() + "\n", StandardCharsets.US_ASCII);
            Files.move(temporary, headFile.get(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot record the audit head in " + headFile.get(), e);
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
