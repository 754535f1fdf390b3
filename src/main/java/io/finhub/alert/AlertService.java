package io.finhub.alert;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.finhub.alert.AlertEvaluator.RuleHealth;
import io.finhub.alert.AlertRuleStatus.Status;
import io.finhub.catalog.MetricsService;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.Store;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.reactivestreams.Publisher;

/**
 * Alerts: rules over the catalog, evaluated when data changes, pushed to subscribers and webhooks.
 * Everything the API layers need goes through here; {@link #start()} begins listening to the store
 * and {@link #close()} stops the threads.
 *
 * <p>Threads: two evaluators (rules over loaded facts, evaluated side by side on a small pool, and
 * rules over derived facts that may need a rebuild first; each lane runs one pass at a time), a small
 * pool that hands events
 * to subscribers, and one scheduler for webhook retries. All are daemon threads that end when idle,
 * so an idle server has none running.
 */
public final class AlertService implements AutoCloseable {
    static final Duration EVALUATION_TIMEOUT = Duration.ofSeconds(60);

    private final Store store;
    private final AlertRules rules;
    private final AlertDependencies dependencies;
    private final AlertHistory history;
    private final AlertEvaluator evaluator;
    private final AlertBroadcast<Alert> alerts;
    private final FinhubEvents events;
    private final AlertWebhooks webhooks;
    private final AlertWebhookSender webhookSender;
    private final List<ExecutorService> ownedExecutors;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile CampaignDepartments campaignDepartments;

    AlertService(Store store, MetricsService metrics, Clock clock, ObjectMapper mapper, AlertSettings settings, Executor evaluation, Executor ruleEvaluation, Executor derivedEvaluation, Executor delivery,
            ScheduledExecutorService webhookScheduler, Supplier<HttpClient> httpClient, Consumer<WebhookDelivery> deliveryListener,
            List<ExecutorService> ownedExecutors) {
        this.store = requireNonNull(store, "store is null");
        ObjectMapper json = AlertJson.mapper(requireNonNull(mapper, "mapper is null"));
        this.rules = new AlertRules(store, json, clock);
        this.dependencies = new AlertDependencies(metrics.catalog());
        this.history = new AlertHistory(store, json);
        this.alerts = new AlertBroadcast<>("alerts", delivery, settings.subscriberBuffer());
        this.events = new FinhubEvents(delivery, settings.subscriberBuffer(), json, clock);
        this.webhooks = new AlertWebhooks(store, clock);
        this.webhookSender = new AlertWebhookSender(webhooks, json, clock, webhookScheduler, httpClient, settings.webhookFirstBackoff(),
                settings.webhookTimeout(), settings.maxWebhooksInFlight(), deliveryListener);
        this.evaluator = new AlertEvaluator(store, metrics, dependencies, rules, history, clock, evaluation, ruleEvaluation, derivedEvaluation, this::publish,
                this::watchers);
        this.ownedExecutors = List.copyOf(ownedExecutors);
        rules.installDefaults(AlertDefaults.rules());
    }

    /** The service with its own threads, as the server runs it. Nothing runs until {@link #start()} or a call. */
    public static AlertService create(Store store, MetricsService metrics, Clock clock, ObjectMapper mapper, AlertSettings settings) {
        ThreadPoolExecutor evaluation = serial("finhub-alert-evaluator");
        ThreadPoolExecutor derivedEvaluation = serial("finhub-alert-evaluator-derived");
        ThreadPoolExecutor ruleEvaluation = pool("finhub-alert-rule", settings.evaluationThreads());
        ThreadPoolExecutor delivery = pool("finhub-alert-delivery", settings.deliveryThreads());
        ScheduledThreadPoolExecutor retries = new ScheduledThreadPoolExecutor(1, daemon("finhub-webhook-retry"));
        retries.setKeepAliveTime(60, TimeUnit.SECONDS);
        retries.allowCoreThreadTimeOut(true);
        retries.setRemoveOnCancelPolicy(true);
        Supplier<HttpClient> client = new Supplier<>() {
            private volatile HttpClient built;

            @Override
            public HttpClient get() {
                if (built == null) {
                    synchronized (this) {
                        if (built == null) {
                            built = HttpClient.newBuilder().connectTimeout(settings.webhookTimeout()).build();
                        }
                    }
                }
                return built;
            }
        };
        return new AlertService(store, metrics, clock, mapper, settings, evaluation, ruleEvaluation, derivedEvaluation, delivery, retries, client,
                ignored -> {}, List.of(evaluation, ruleEvaluation, derivedEvaluation, delivery, retries));
    }

    /** Threads that end when idle; the queue holds at most one task per rule or per subscriber. */
    private static ThreadPoolExecutor pool(String name, int threads) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemon(name));
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /** One thread, and room for the one pass an evaluator lane ever queues (plus slack). */
    private static ThreadPoolExecutor serial(String name) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4), daemon(name));
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Starts evaluating after every committed change, and evaluates every enabled rule once now. */
    public void start() {
        if (started.compareAndSet(false, true)) {
            store.onDataChanged(evaluator::dataChanged);
            evaluator.evaluate(rules.all().stream().filter(AlertRule::enabled).map(AlertRule::id).toList());
        }
    }

    /** Which rules someone waits for now: a live subscriber or an enabled webhook. */
    private Predicate<AlertRule> watchers() {
        List<AlertWebhook> hooks = webhooks.targets(true).stream().map(AlertWebhooks.Target::webhook).toList();
        return rule -> alerts.listened(rule.id()) || hooks.stream().anyMatch(hook -> hook.watches(rule));
    }

    private void publish(List<Alert> changes) {
        changes.forEach(alerts::publish);
        webhookSender.send(changes);
    }

    // Rules ------------------------------------------------------------------------------------

    public List<AlertRuleStatus> rules() {
        return rules.all().stream().map(this::status).toList();
    }

    public AlertRuleStatus rule(String id) {
        return status(rules.require(id));
    }

    /** Validates and stores a new rule, then evaluates it on the data there is. */
    public AlertRuleStatus create(AlertRule rule) {
        AlertRule created = rule.withBuiltIn(false);
        dependencies.validator().validate(created, Set.of());
        rules.insert(created);
        if (created.enabled()) {
            evaluator.evaluate(List.of(created.id()));
        }
        return status(created);
    }

    /**
     * Applies {@code change} to a rule (its id, enabled flag and built-in mark stay), validates and
     * stores the result, then re-evaluates it. A measure the rule already named may still be missing
     * from the catalog; a newly named one may not.
     */
    public AlertRuleStatus update(String id, UnaryOperator<AlertRule> change) {
        AlertRule existing = rules.require(id);
        AlertRule changed = change.apply(existing);
        AlertRule updated = new AlertRule(existing.id(), changed.name(), changed.description(), changed.measure(), changed.dimensions(),
                changed.filters(), changed.grain(), changed.window(), changed.condition(), changed.severity(), existing.enabled(), existing.builtIn());
        dependencies.validator().validate(updated, AlertRuleValidator.measuresOf(Optional.of(existing)));
        rules.update(updated);
        if (updated.enabled()) {
            evaluator.evaluate(List.of(id));
        }
        return status(updated);
    }

    /** Enables (and evaluates) or disables a rule; disabling resolves its firing alerts as RULE_DISABLED. */
    public AlertRuleStatus setEnabled(String id, boolean enabled) {
        AlertRule rule = rules.require(id).withEnabled(enabled);
        rules.update(rule);
        if (enabled) {
            evaluator.evaluate(List.of(id));
        }
        else {
            evaluator.retire(id);
        }
        return status(rule);
    }

    private AlertRuleStatus status(AlertRule rule) {
        Optional<RuleHealth> health = evaluator.health(rule.id());
        Optional<String> unavailable = dependencies.problem(rule).map(Throwable::getMessage);
        Optional<String> failing = health.flatMap(RuleHealth::problem);
        Status status = !rule.enabled() ? Status.DISABLED : unavailable.isPresent() ? Status.UNAVAILABLE : failing.isPresent() ? Status.FAILING : Status.ACTIVE;
        return new AlertRuleStatus(rule, status, unavailable.or(() -> failing), health.map(RuleHealth::evaluatedAt), health.map(RuleHealth::dataVersion));
    }

    /** Evaluates one rule, or every enabled rule, now; completes with the alerts that fired or resolved. */
    public CompletableFuture<List<Alert>> evaluate(Optional<String> ruleId) {
        List<String> ids = ruleId.map(id -> List.of(rules.require(id).id()))
                .orElseGet(() -> rules.all().stream().filter(AlertRule::enabled).map(AlertRule::id).toList());
        return evaluator.evaluate(ids);
    }

    /** {@link #evaluate(Optional)} and wait for it. */
    public List<Alert> evaluateNow(Optional<String> ruleId) {
        try {
            return evaluate(ruleId).get(EVALUATION_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        catch (TimeoutException e) {
            throw new FinhubException(ErrorCode.TIMEOUT, "the evaluation did not finish within " + EVALUATION_TIMEOUT.toSeconds() + " s; its alerts will still be pushed");
        }
        catch (ExecutionException e) {
            throw new FinhubException(ErrorCode.INTERNAL, "alert evaluation failed", e.getCause());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FinhubException(ErrorCode.INTERNAL, "interrupted while evaluating alerts", e);
        }
    }

    // Alerts -----------------------------------------------------------------------------------

    /** The department running each campaign, read once per data version: what decides who sees a campaign's alerts. */
    public Map<String, String> campaignDepartments() {
        long version = store.dataVersion();
        CampaignDepartments known = campaignDepartments;
        if (known != null && known.version() == version) {
            return known.byCampaign();
        }
        Map<String, String> read = store.jdbi().withHandle(handle -> handle.createQuery("SELECT campaign_id, department_id FROM dim_campaign WHERE department_id IS NOT NULL")
                .setMapKeyColumn("campaign_id")
                .setMapValueColumn("department_id")
                .collectInto(new org.jdbi.v3.core.generic.GenericType<Map<String, String>>() {}));
        campaignDepartments = new CampaignDepartments(version, Map.copyOf(read));
        return campaignDepartments.byCampaign();
    }

    private record CampaignDepartments(long version, Map<String, String> byCampaign) {}

    public List<Alert> alerts(AlertQuery query) {
        query.rule().ifPresent(rules::require);
        return history.find(query);
    }

    public Optional<Alert> alert(String id) {
        return history.find(id);
    }

    /**
     * Alerts as they fire and resolve, of one rule and/or at least one severity. A subscriber that
     * falls {@link AlertSettings#subscriberBuffer()} alerts behind is dropped with SLOW_SUBSCRIBER.
     */
    public Publisher<Alert> subscribe(Optional<AlertSeverity> minimumSeverity, Optional<String> rule) {
        return subscribe(minimumSeverity, rule, alert -> true);
    }

    /** As {@link #subscribe(Optional, Optional)}, only the alerts {@code visible} accepts (the subscriber's departments). */
    public Publisher<Alert> subscribe(Optional<AlertSeverity> minimumSeverity, Optional<String> rule, Predicate<Alert> visible) {
        rule.ifPresent(rules::require);
        return alerts.publisher(alert -> rule.map(alert.ruleId()::equals).orElse(true)
                && minimumSeverity.map(alert.severity()::atLeast).orElse(true) && visible.test(alert),
                ruleId -> rule.map(ruleId::equals).orElse(true)
                        && minimumSeverity.map(minimum -> rules.find(ruleId).map(found -> found.severity().atLeast(minimum)).orElse(true)).orElse(true));
    }

    public int alertSubscribers() {
        return alerts.subscribers();
    }

    public FinhubEvents events() {
        return events;
    }

    // Webhooks ---------------------------------------------------------------------------------

    public AlertWebhook.Created createWebhook(String url, Optional<String> rule, Optional<AlertSeverity> minimumSeverity, Optional<String> secret) {
        rule.ifPresent(rules::require);
        return webhooks.create(url, rule, minimumSeverity, secret);
    }

    public List<AlertWebhook> webhooks() {
        return webhooks.all();
    }

    public AlertWebhook setWebhookEnabled(String id, boolean enabled) {
        return webhooks.setEnabled(id, enabled);
    }

    public List<WebhookDelivery> deliveries(Optional<String> webhook, Optional<String> alert, int limit) {
        return webhooks.deliveries(webhook, alert, limit);
    }

    /** Completes every subscriber and stops the threads; evaluations already queued are dropped. */
    @Override
    public void close() {
        alerts.close();
        events.close();
        ownedExecutors.forEach(ExecutorService::shutdown);
    }
}
