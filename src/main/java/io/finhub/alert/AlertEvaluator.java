package io.finhub.alert;

import static java.util.Objects.requireNonNull;

import io.finhub.alert.Alert.Resolution;
import io.finhub.alert.Alert.Resolved;
import io.finhub.alert.Alert.State;
import io.finhub.catalog.MetricsRequest;
import io.finhub.catalog.MetricsResult;
import io.finhub.catalog.MetricsService;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.DataChanged;
import io.finhub.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates rules and turns what they see into alerts that fire and resolve.
 *
 * <p>Evaluation is event-driven: {@link #dataChanged} marks the rules whose facts read a changed
 * table and schedules one evaluation pass on the injected executors; an idle store costs nothing.
 * Changes that arrive while a pass runs are merged into the next pass, so at most one pass per lane
 * is ever queued however fast commits come. There are two lanes: rules over facts as loaded, and
 * rules over derived facts (whose rebuild may take a while). One rule is never evaluated twice at
 * the same time, which is what keeps "at most one firing alert per rule and scope" true.
 *
 * <p>Watched rules first: within a pass, the rules someone waits for (a live subscriber or an
 * enabled webhook) are evaluated before the others, and the derived lane holds its unwatched
 * rules back until the loaded lane has finished its pass over the same changes (at most
 * {@link #WATCHED_FIRST_WAIT}; the loaded lane never waits for the derived one). A lane evaluates its unwatched rules one at a time on its own
 * thread, so on 2 cores the delivery of an alert somebody watches keeps a core, and when a new change
 * arrives meanwhile it puts the rest back and starts a pass with the new change's watched rules
 * (after at least one unwatched rule, so they always progress). Rules asked for explicitly
 * ({@link #evaluate}) count as watched. Every affected rule is still evaluated after every change.
 */
final class AlertEvaluator {
    private static final Logger LOG = LoggerFactory.getLogger(AlertEvaluator.class);
    static final Duration WATCHED_FIRST_WAIT = Duration.ofSeconds(1);

    private final Store store;
    private final MetricsService metrics;
    private final AlertRules rules;
    private final AlertDependencies dependencies;
    private final AlertHistory history;
    private final Clock clock;
    private final Consumer<List<Alert>> publisher;
    private final Supplier<Predicate<AlertRule>> watchers;
    /** Changes that marked rules of the loaded lane, counted; and how many of them that lane has evaluated the watched rules of. */
    private final AtomicLong directMarks = new AtomicLong();
    private final Object settledLock = new Object();
    private long directSettled;
    private final Lane direct;
    private final Lane derived;
    private final Map<String, Object> ruleLocks = new ConcurrentHashMap<>();
    private final Map<String, RuleHealth> health = new ConcurrentHashMap<>();

    /**
     * @param directExecutor runs the passes over rules over facts as loaded
     * @param directRules evaluates the rules of one such pass side by side (each rule still one at a time)
     * @param derivedExecutor runs the passes over rules over derived facts, one rule after the other;
     *        those facts may first have to be rebuilt (attribution, revenue schedules), and a slow
     *        rebuild must never delay an alert that needs none
     * @param watchers which rules someone waits for now, asked once per pass
     */
    AlertEvaluator(Store store, MetricsService metrics, AlertDependencies dependencies, AlertRules rules, AlertHistory history, Clock clock, Executor directExecutor,
            Executor directRules, Executor derivedExecutor, Consumer<List<Alert>> publisher, Supplier<Predicate<AlertRule>> watchers) {
        this.store = requireNonNull(store, "store is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.rules = requireNonNull(rules, "rules is null");
        this.dependencies = requireNonNull(dependencies, "dependencies is null");
        this.history = requireNonNull(history, "history is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.publisher = requireNonNull(publisher, "publisher is null");
        this.watchers = requireNonNull(watchers, "watchers is null");
        this.direct = new Lane(requireNonNull(directExecutor, "directExecutor is null"), requireNonNull(directRules, "directRules is null"), true);
        this.derived = new Lane(requireNonNull(derivedExecutor, "derivedExecutor is null"), Runnable::run, false);
    }

    /**
     * The outcome of a rule's last evaluation.
     *
     * @param problem why it could not be evaluated (unknown measure, missing FX rate), if it could not
     */
    record RuleHealth(Instant evaluatedAt, long dataVersion, Optional<String> problem) {}

    private record Request(Set<String> evaluate, Optional<String> retire, CompletableFuture<List<Alert>> done) {}

    /** Called on the committing thread: only marks rules and schedules a pass. */
    void dataChanged(DataChanged change) {
        Set<String> affected = affectedRules(change.datasets());
        Set<String> overDerived = overDerivedFacts(affected);
        Set<String> overLoaded = new TreeSet<>(affected);
        overLoaded.removeAll(overDerived);
        direct.mark(overLoaded);
        if (!overLoaded.isEmpty()) {
            directMarks.incrementAndGet();
        }
        derived.mark(overDerived);
    }

    /** The loaded lane has finished its pass over the first {@code marks} changes. */
    private void settle(long marks) {
        synchronized (settledLock) {
            if (marks > directSettled) {
                directSettled = marks;
                settledLock.notifyAll();
            }
        }
    }

    /** Waits until the loaded lane has finished its pass over the first {@code marks} changes, at most {@link #WATCHED_FIRST_WAIT}. */
    private void awaitSettled(long marks) {
        long deadline = System.nanoTime() + WATCHED_FIRST_WAIT.toNanos();
        synchronized (settledLock) {
            long left;
            while (directSettled < marks && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(settledLock, left);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private Predicate<AlertRule> watched() {
        try {
            return watchers.get();
        }
        catch (RuntimeException e) {
            LOG.warn("could not tell which alert rules are watched; evaluating them in name order", e);
            return rule -> true;
        }
    }

    /** Evaluates these rules now (on the evaluator); completes with the alerts that fired or resolved. */
    CompletableFuture<List<Alert>> evaluate(Collection<String> ruleIds) {
        Set<String> overDerived = overDerivedFacts(ruleIds);
        Set<String> overLoaded = new TreeSet<>(ruleIds);
        overLoaded.removeAll(overDerived);
        CompletableFuture<List<Alert>> first = direct.submit(new Request(overLoaded, Optional.empty(), new CompletableFuture<>()));
        CompletableFuture<List<Alert>> second = derived.submit(new Request(overDerived, Optional.empty(), new CompletableFuture<>()));
        return first.thenCombine(second, (one, two) -> {
            List<Alert> all = new ArrayList<>(one);
            all.addAll(two);
            return all;
        });
    }

    /** Resolves every firing alert of a rule that was disabled. */
    CompletableFuture<List<Alert>> retire(String ruleId) {
        Lane lane = overDerivedFacts(List.of(ruleId)).isEmpty() ? direct : derived;
        return lane.submit(new Request(Set.of(), Optional.of(ruleId), new CompletableFuture<>()));
    }

    Optional<RuleHealth> health(String ruleId) {
        return Optional.ofNullable(health.get(ruleId));
    }

    private Set<String> overDerivedFacts(Collection<String> ruleIds) {
        Set<String> result = new TreeSet<>();
        for (String ruleId : ruleIds) {
            rules.find(ruleId).filter(dependencies::readsDerivedFacts).ifPresent(rule -> result.add(rule.id()));
        }
        return result;
    }

    /**
     * One serial evaluator: changes that arrive while a pass runs are merged into the next pass, so
     * at most one pass is ever queued on its executor however fast commits come.
     */
    private final class Lane {
        private final Executor executor;
        private final Executor ruleExecutor;
        private final Set<String> changedRules = ConcurrentHashMap.newKeySet();
        private final Queue<Request> requests = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();
        /** Changes that marked rules of this lane, counted. */
        private final AtomicLong marked = new AtomicLong();
        private final boolean loaded;

        /** @param loaded the lane of rules over facts as loaded, whose watched rules go before anything else */
        Lane(Executor executor, Executor ruleExecutor, boolean loaded) {
            this.executor = executor;
            this.ruleExecutor = ruleExecutor;
            this.loaded = loaded;
        }

        void mark(Set<String> ruleIds) {
            if (!ruleIds.isEmpty()) {
                changedRules.addAll(ruleIds);
                marked.incrementAndGet();
                schedule();
            }
        }

        CompletableFuture<List<Alert>> submit(Request request) {
            if (request.evaluate().isEmpty() && request.retire().isEmpty()) {
                return CompletableFuture.completedFuture(List.of());
            }
            requests.add(request);
            schedule();
            return request.done();
        }

        private void schedule() {
            if (!scheduled.compareAndSet(false, true)) {
                return;
            }
            try {
                executor.execute(this::drain);
            }
            catch (RejectedExecutionException e) {
                scheduled.set(false);
                LOG.warn("alert evaluation is shut down; {} rule evaluations not run", changedRules.size() + requests.size());
                Request request;
                while ((request = requests.poll()) != null) {
                    request.done().completeExceptionally(e);
                }
            }
        }

        private void drain() {
            while (true) {
                long marks = directMarks.get();
                long laneMarks = marked.get();
                List<Request> batch = new ArrayList<>();
                Request request;
                while ((request = requests.poll()) != null) {
                    batch.add(request);
                }
                Set<String> changed = new TreeSet<>();
                for (String rule : changedRules) {
                    if (changedRules.remove(rule)) {
                        changed.add(rule);
                    }
                }
                if (batch.isEmpty() && changed.isEmpty()) {
                    if (loaded) {
                        settle(marks);
                    }
                    scheduled.set(false);
                    if ((requests.isEmpty() && changedRules.isEmpty()) || !scheduled.compareAndSet(false, true)) {
                        return;
                    }
                    continue;
                }
                run(batch, changed, marks, laneMarks);
            }
        }

        private void run(List<Request> batch, Set<String> changed, long marks, long laneMarks) {
            List<Alert> transitions = new ArrayList<>();
            Set<String> toEvaluate = new TreeSet<>(changed);
            for (Request request : batch) {
                request.retire().ifPresent(rule -> transitions.addAll(guarded(rule, () -> retireNow(rule))));
                toEvaluate.addAll(request.evaluate());
            }
            List<AlertRule> enabled = toEvaluate.stream().map(rules::find).flatMap(Optional::stream).filter(AlertRule::enabled).toList();
            Set<String> requested = new HashSet<>();
            batch.forEach(request -> requested.addAll(request.evaluate()));
            Predicate<AlertRule> watchers = enabled.isEmpty() ? rule -> false : watched();
            Predicate<AlertRule> watched = rule -> requested.contains(rule.id()) || watchers.test(rule);
            transitions.addAll(evaluateAll(enabled.stream().filter(watched).toList()));
            List<AlertRule> others = enabled.stream().filter(watched.negate()).toList();
            if (!loaded && !others.isEmpty()) {
                awaitSettled(marks);
            }
            for (int index = 0; index < others.size(); index++) {
                AlertRule rule = others.get(index);
                transitions.addAll(guarded(rule.id(), () -> evaluateNow(rule)));
                if (index + 1 < others.size() && marked.get() != laneMarks) {
                    // A newer change is waiting: its watched rules go first; these are evaluated in the next pass.
                    others.subList(index + 1, others.size()).forEach(rest -> changedRules.add(rest.id()));
                    break;
                }
            }
            if (loaded) {
                settle(marks);
            }
            for (Request request : batch) {
                Set<String> asked = new HashSet<>(request.evaluate());
                request.retire().ifPresent(asked::add);
                request.done().complete(transitions.stream().filter(alert -> asked.contains(alert.ruleId())).toList());
            }
        }

        private List<Alert> evaluateAll(List<AlertRule> toRun) {
            List<CompletableFuture<List<Alert>>> evaluations = new ArrayList<>();
            for (AlertRule rule : toRun) {
                evaluations.add(CompletableFuture.supplyAsync(() -> guarded(rule.id(), () -> evaluateNow(rule)), ruleExecutor));
            }
            List<Alert> transitions = new ArrayList<>();
            evaluations.forEach(evaluation -> transitions.addAll(evaluation.join()));
            return transitions;
        }
    }

    private interface Step {
        List<Alert> run();
    }

    /** One rule's failure is recorded as its problem and never stops the others. */
    private List<Alert> guarded(String ruleId, Step step) {
        try {
            List<Alert> transitions;
            synchronized (ruleLocks.computeIfAbsent(ruleId, id -> new Object())) {
                transitions = step.run();
            }
            if (!transitions.isEmpty()) {
                publisher.accept(transitions);
            }
            return transitions;
        }
        catch (FinhubException e) {
            health.put(ruleId, new RuleHealth(now(), store.dataVersion(), Optional.of(e.getMessage())));
            return List.of();
        }
        catch (RuntimeException e) {
            String incident = UUID.randomUUID().toString();
            LOG.error("evaluating alert rule {} failed, incident {}", ruleId, incident, e);
            health.put(ruleId, new RuleHealth(now(), store.dataVersion(), Optional.of("internal error (incident " + incident + ")")));
            return List.of();
        }
    }

    private List<Alert> evaluateNow(AlertRule rule) {
        long started = System.nanoTime();
        Optional<FinhubException> problem = dependencies.problem(rule);
        if (problem.isPresent()) {
            throw problem.get();
        }
        LocalDate today = LocalDate.now(clock);
        AlertPeriods periods = AlertPeriods.of(rule.window(), rule.grain(), store.calendar(), today);
        LocalDate readFrom = rule.condition().baseline() == AlertCondition.Baseline.PREVIOUS_PERIOD
                ? AlertPeriods.previous(store.calendar(), rule.grain(), periods.firstPeriod())
                : periods.from();
        MetricsRequest request = new MetricsRequest(rule.measures(), rule.dimensions(), rule.filters(), Optional.of(rule.grain()),
                Optional.of(readFrom), periods.to(), List.of(), MetricsRequest.MAX_LIMIT, 0);
        MetricsResult result = metrics.queryUnrounded(request);
        if (result.totalCount() > result.rows().size()) {
            throw new FinhubException(ErrorCode.INVALID_ALERT_RULE, "the rule's request has %d groups, more than the %d one evaluation reads; narrow it with filters"
                    .formatted(result.totalCount(), MetricsRequest.MAX_LIMIT));
        }
        Map<String, AlertObservation> observations = AlertObservation.observe(rule, result, periods, store.calendar(), metrics.catalog());
        Instant now = now();
        long version = result.dataVersion();
        Map<String, Alert> firing = history.firing(rule.id());
        List<Alert> resolved = new ArrayList<>();
        for (Alert alert : firing.values()) {
            end(alert, rule, observations.get(alert.scopeKey()), periods, now, version).ifPresent(resolved::add);
        }
        Set<String> stillFiring = new HashSet<>(firing.keySet());
        resolved.forEach(alert -> stillFiring.remove(alert.scopeKey()));
        List<Alert> fired = new ArrayList<>();
        for (AlertObservation observation : observations.values()) {
            if (observation.breached() && !stillFiring.contains(observation.scopeKey())) {
                fired.add(fire(rule, observation, now, version));
            }
        }
        history.record(rule.id(), fired, resolved);
        health.put(rule.id(), new RuleHealth(now, version, Optional.empty()));
        LOG.debug("rule {} evaluated on data version {} in {} ms: {} fired, {} resolved", rule.id(), version, (System.nanoTime() - started) / 1_000_000,
                fired.size(), resolved.size());
        List<Alert> transitions = new ArrayList<>(resolved);
        transitions.addAll(fired);
        return transitions;
    }

    /**
     * Whether and how a firing alert ends at this evaluation: EXPIRED when its period left the window,
     * RECOVERED when its scope is within the threshold (or has no data), RULE_CHANGED when the rule
     * changed what the alert says (see {@link #firedUnderAnotherDefinition}) and the scope is still
     * breached, in which case a new alert fires for it under the new definition in the same evaluation.
     */
    private static Optional<Alert> end(Alert alert, AlertRule rule, AlertObservation observation, AlertPeriods periods, Instant now, long version) {
        if (!periods.contains(alert.period())) {
            return Optional.of(alert.resolve(new Resolved(now, version, Resolution.EXPIRED, Optional.empty(), Optional.empty())));
        }
        boolean breached = observation != null && observation.breached();
        boolean changed = firedUnderAnotherDefinition(alert, rule);
        if (breached && !changed) {
            return Optional.empty();
        }
        boolean gone = observation == null;
        Resolution resolution = breached || (gone && changed) ? Resolution.RULE_CHANGED : Resolution.RECOVERED;
        return Optional.of(alert.resolve(resolution(resolution, observation, now, version)));
    }

    /** How an alert ends at this evaluation, with what the evaluation saw of its scope ({@code observation} null: nothing). */
    private static Resolved resolution(Resolution resolution, AlertObservation observation, Instant now, long version) {
        Optional<AlertObservation> seen = Optional.ofNullable(observation);
        return new Resolved(now, version, resolution, seen.flatMap(AlertObservation::value).map(AlertHistory::canonical),
                seen.flatMap(AlertObservation::observed).map(AlertHistory::canonical));
    }

    /**
     * Whether the rule has changed what the alert says since it fired: its severity, measure,
     * comparison, baseline, threshold or dimensions. Such an alert is not left firing under the old
     * definition: a subscriber or webhook that filters on the new severity would never hear of it.
     * Its name and description are words, not the condition, so changing them fires nothing again.
     */
    private static boolean firedUnderAnotherDefinition(Alert alert, AlertRule rule) {
        AlertCondition condition = rule.condition();
        return alert.severity() != rule.severity()
                || !alert.measure().equals(rule.measure())
                || alert.comparison() != condition.comparison()
                || alert.baseline() != condition.baseline()
                || alert.threshold().compareTo(condition.threshold()) != 0
                || !alert.scope().stream().map(Alert.ScopeValue::dimension).toList().equals(rule.dimensions());
    }

    private static Alert fire(AlertRule rule, AlertObservation observation, Instant now, long version) {
        AlertCondition condition = rule.condition();
        return new Alert(UUID.randomUUID().toString(), rule.id(), rule.name(), rule.severity(), State.FIRING, rule.measure(), observation.scopeKey(),
                observation.scope(), observation.period(), observation.periodLabel(), condition.comparison(), condition.baseline(),
                AlertHistory.canonical(condition.threshold()), observation.value().map(AlertHistory::canonical),
                observation.baseline().map(AlertHistory::canonical), AlertHistory.canonical(observation.observed().orElseThrow()),
                observation.message(rule), now, version, Optional.empty());
    }

    private List<Alert> retireNow(String ruleId) {
        Instant now = now();
        long version = store.dataVersion();
        List<Alert> resolved = history.firing(ruleId).values().stream()
                .map(alert -> alert.resolve(new Resolved(now, version, Resolution.RULE_DISABLED, Optional.empty(), Optional.empty())))
                .toList();
        history.record(ruleId, List.of(), resolved);
        return resolved;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** The enabled rules a change of {@code datasets} can move (see {@link AlertDependencies}). */
    Set<String> affectedRules(List<String> datasets) {
        Set<String> affected = new TreeSet<>();
        for (AlertRule rule : rules.all()) {
            if (rule.enabled() && dependencies.movedBy(rule, datasets)) {
                affected.add(rule.id());
            }
        }
        return affected;
    }
}
