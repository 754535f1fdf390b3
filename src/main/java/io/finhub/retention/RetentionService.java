package io.finhub.retention;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finhub.audit.AuditLog;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.retention.RetentionRun.Purge;
import io.finhub.store.Store;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;

/**
 * Data retention (old fact rows deleted by policy; not to be confused with customer retention):
 * the policies in {@code retention_policy}, and applying them. A run deletes every dataset's old rows
 * in one transaction recorded as a data change (so derived tables and cached answers are rebuilt, as
 * after an import), its counts appended to the audit log in the same transaction. Policy changes
 * are audited too, likewise.
 */
public final class RetentionService {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;
    private final Clock clock;
    private final AuditLog audit;

    public RetentionService(Store store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.audit = new AuditLog(store, clock);
    }

    /** Every policy, by dataset; a stored policy that is not valid (edited by hand) stops here, named. */
    public List<RetentionPolicy> policies() {
        return store.jdbi().withHandle(handle -> handle.createQuery("SELECT dataset, keep_months FROM retention_policy ORDER BY dataset")
                .map((row, context) -> new RetentionPolicy(row.getString("dataset"), row.getInt("keep_months")))
                .list());
    }

    /** Creates or replaces the policy of its dataset. */
    public void set(RetentionPolicy policy, String actor) {
        requireNonNull(policy, "policy is null");
        Optional<Integer> previous = keepMonths(policy.dataset());
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("keepMonths", policy.keepMonths());
        detail.put("previousKeepMonths", previous.orElse(null));
        inTransactionAudited(handle -> handle.createUpdate("INSERT OR REPLACE INTO retention_policy VALUES (:dataset, :keepMonths, :at, :actor)")
                .bind("dataset", policy.dataset())
                .bind("keepMonths", policy.keepMonths())
                .bind("at", LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .bind("actor", actor)
                .execute(), updated -> new AuditLog.Draft(actor, "retention.policy.set", policy.dataset(), json(detail)));
    }

    /** Removes the policy of {@code dataset}: its rows are kept for good. */
    public void remove(String dataset, String actor) {
        Optional<Integer> previous = keepMonths(dataset);
        if (previous.isEmpty()) {
            throw new FinhubException(ErrorCode.NOT_FOUND, "no retention policy for '" + dataset + "'");
        }
        inTransactionAudited(handle -> handle.createUpdate("DELETE FROM retention_policy WHERE dataset = :dataset").bind("dataset", dataset).execute(),
                deleted -> new AuditLog.Draft(actor, "retention.policy.remove", dataset, json(Map.of("previousKeepMonths", previous.get()))));
    }

    /**
     * Deletes, in one transaction with its audit entry, every row older than its dataset's policy
     * allows. A dry run only counts: it writes nothing, not even an audit entry.
     */
    public RetentionRun apply(boolean dryRun, String actor) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        List<RetentionPolicy> policies = policies();
        List<Purge> counted = store.jdbi().withHandle(handle -> purges(handle, policies, today, false));
        if (dryRun) {
            return new RetentionRun(true, today, counted, Optional.empty());
        }
        String target = policies.isEmpty() ? "(no policy)" : String.join(",", policies.stream().map(RetentionPolicy::dataset).toList());
        List<String> due = counted.stream().filter(purge -> purge.rows() > 0).map(purge -> purge.policy().dataset()).toList();
        if (due.isEmpty()) {
            RetentionRun run = new RetentionRun(false, today, counted, Optional.empty());
            audit.append(actor, "retention", target, json(detail(run)));
            return run;
        }
        RetentionRun run = inTransactionAudited(handle -> {
            List<Purge> deleted = purges(handle, policies, today, true);
            long version = store.recordChange(handle, "retention", due);
            return new RetentionRun(false, today, deleted, Optional.of(version));
        }, deleted -> new AuditLog.Draft(actor, "retention", target, json(detail(deleted))));
        store.publishCommitted(run.dataVersion().orElseThrow());
        return run;
    }

    private <R> R inTransactionAudited(HandleCallback<R, RuntimeException> change, Function<R, AuditLog.Draft> entryOf) {
        try (Handle handle = store.jdbi().open()) {
            return audit.inTransaction(handle, change, entryOf);
        }
    }

    private static List<Purge> purges(Handle handle, List<RetentionPolicy> policies, LocalDate today, boolean delete) {
        List<Purge> purges = new ArrayList<>();
        for (RetentionPolicy policy : policies) {
            LocalDate cutoff = policy.cutoff(today);
            // Table and column come from RetentionDatasets, never from the caller; the cutoff is bound.
            String where = " FROM " + policy.dataset() + " WHERE " + policy.dateColumn() + " < :cutoff";
            long rows = delete
                    ? handle.createUpdate("DELETE" + where).bind("cutoff", cutoff).execute()
                    : handle.createQuery("SELECT count(*)" + where).bind("cutoff", cutoff).mapTo(Long.class).one();
            purges.add(new Purge(policy, cutoff, rows));
        }
        return purges;
    }

    private Optional<Integer> keepMonths(String dataset) {
        return store.jdbi().withHandle(handle -> handle.createQuery("SELECT keep_months FROM retention_policy WHERE dataset = :dataset")
                .bind("dataset", dataset)
                .mapTo(Integer.class)
                .findOne());
    }

    private static Map<String, Object> detail(RetentionRun run) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("today", run.today().toString());
        detail.put("dataVersion", run.dataVersion().orElse(null));
        detail.put("datasets", run.purges().stream()
                .map(purge -> Map.of("dataset", purge.policy().dataset(), "keepMonths", purge.policy().keepMonths(), "cutoff", purge.cutoff().toString(),
                        "deleted", purge.rows()))
                .toList());
        return detail;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the audit detail", e);
        }
    }
}
