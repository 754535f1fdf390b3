package io.finhub.alert;

import io.finhub.FinhubServer;
import io.finhub.alert.AlertCondition.Comparison;
import io.finhub.budget.BudgetCatalog;
import io.finhub.catalog.Catalog;
import io.finhub.catalog.MetricsService;
import io.finhub.catalog.StandardCatalog;
import io.finhub.graphql.AlertFetchers;
import io.finhub.graphql.GraphqlEngine;
import io.finhub.http.GraphqlWebSocket;
import io.finhub.http.HttpServer;
import io.finhub.store.Store;
import io.finhub.store.TimeGrain;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How long an alert takes from the commit that causes it to each of many WebSocket subscribers.
 * Not a test (the suite asserts no timings); run it by hand, on 2 cores:
 *
 * <pre>
 * mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * taskset -c 0,1 java -XX:ActiveProcessorCount=2 -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *     io.finhub.alert.AlertDeliveryBenchmark server 1000 40 500
 * </pre>
 *
 * Arguments: {@code server} (FinhubServer.start: every feature wired and running, the default rules
 * on) or {@code alerts} (the same HTTP server, WebSocket endpoint and alert service over the core
 * and budget catalog, nothing else running); subscribers; rounds; pause between rounds in ms
 * (commits one at a time, as imports come; 0 commits back to back, which also measures queueing
 * behind the previous commit's evaluation).
 *
 * <p>The store holds the alerts_ledger fixture. N JDK WebSocket clients in the same JVM (so they
 * share the 2 cores with the server) each subscribe to {@code alerts(rule: "bench")} over
 * graphql-transport-ws. Each round commits one GL line that moves marketing's March media across
 * the rule's threshold (alternately firing and resolving), so every round sends every subscriber
 * exactly one message. Latency = receipt on the client − the moment the commit's DataChanged
 * listeners ran (the first listener is the benchmark's own). The first rounds warm up.
 */
public final class AlertDeliveryBenchmark {
    private static final int WARM_UP = 10;

    private AlertDeliveryBenchmark() {}

    /** What runs: the port it listens on and its alert service. */
    private record Running(int port, AlertService alerts, AutoCloseable stop) {}

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "server";
        int subscribers = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        long pauseMillis = args.length > 3 ? Long.parseLong(args[3]) : 500;
        Store store = AlertFixtures.ledger();
        AtomicLong committedAt = new AtomicLong();
        store.onDataChanged(change -> committedAt.set(System.nanoTime()));
        Running running = mode.equals("alerts") ? alertsOnly(store) : server(store);
        try (AutoCloseable stop = running.stop()) {
            running.alerts().create(new AlertRule("bench", "Benchmark: March media over budget", Optional.empty(), "budgetVariancePct", List.of("department"),
                    List.of(AlertFixtures.COST_ACCOUNTS), TimeGrain.MONTH, AlertWindow.fixed(LocalDate.of(2025, 3, 1), LocalDate.of(2025, 3, 31)),
                    AlertCondition.value(Comparison.BELOW, "-10"), AlertSeverity.CRITICAL, true, false));
            AtomicReference<Round> current = new AtomicReference<>();
            CountDownLatch subscribed = new CountDownLatch(subscribers);
            List<WebSocket> sockets = connect(running.port(), subscribers, current, subscribed);
            if (!subscribed.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + (subscribers - subscribed.getCount()) + " subscribers answered the ping after subscribing");
            }
            System.out.printf("mode %s: %d subscribers connected; %d cores; %d rounds (%d warm-up), %d ms apart%n", mode, subscribers,
                    Runtime.getRuntime().availableProcessors(), rounds, WARM_UP, pauseMillis);

            List<Long> latencies = new ArrayList<>();
            List<Long> firstArrivals = new ArrayList<>();
            List<Long> lastArrivals = new ArrayList<>();
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpuAtStart = 0;
            for (int round = 0; round < rounds; round++) {
                if (round == WARM_UP) {
                    cpuAtStart = os.getProcessCpuTime();
                }
                Thread.sleep(pauseMillis);
                Round thisRound = new Round(subscribers);
                current.set(thisRound);
                // Alternately 5800 (−16 %, fires) and back to 2000 (+60 %, resolves).
                AlertFixtures.postMarketingMedia(store, "bench-" + round, round % 2 == 0 ? "3800.00" : "-3800.00");
                long commit = committedAt.get();
                if (!thisRound.done.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("round " + round + ": only " + (subscribers - thisRound.done.getCount()) + " subscribers got the alert");
                }
                if (round >= WARM_UP) {
                    long first = Long.MAX_VALUE;
                    long last = 0;
                    for (long arrival : thisRound.arrivals) {
                        latencies.add(arrival - commit);
                        first = Math.min(first, arrival - commit);
                        last = Math.max(last, arrival - commit);
                    }
                    firstArrivals.add(first);
                    lastArrivals.add(last);
                }
            }
            long measured = rounds - WARM_UP;
            System.out.printf("CPU of the whole process (server and clients) per round: %.1f ms; machine load average %.1f%n",
                    (os.getProcessCpuTime() - cpuAtStart) / 1e6 / measured, os.getSystemLoadAverage());
            report("commit → each subscriber", latencies);
            report("commit → first subscriber of a round (evaluation)", firstArrivals);
            report("commit → last subscriber of a round", lastArrivals);
            sockets.forEach(WebSocket::abort);
        }
    }

    private static Running server(Store store) {
        FinhubServer server = FinhubServer.start(store, "127.0.0.1", 0);
        return new Running(server.port(), server.alerts(), server);
    }

    private static Running alertsOnly(Store store) {
        Catalog catalog = StandardCatalog.create();
        BudgetCatalog.register(catalog);
        AlertService alerts = AlertService.create(store, new MetricsService(store, catalog), Clock.systemUTC(), FinhubServer.objectMapper(),
                AlertSettings.defaults());
        GraphqlEngine engine = new GraphqlEngine(List.of(new AlertFetchers(alerts)));
        HttpServer http = new HttpServer(engine, store, FinhubServer.objectMapper(), List.of(new GraphqlWebSocket(engine, FinhubServer.objectMapper())))
                .start("127.0.0.1", 0);
        alerts.start();
        return new Running(http.port(), alerts, () -> {
            http.close();
            alerts.close();
            store.close();
        });
    }

    private static final class Round {
        final CountDownLatch done;
        final long[] arrivals;
        final AtomicLong next = new AtomicLong();

        Round(int subscribers) {
            done = new CountDownLatch(subscribers);
            arrivals = new long[subscribers];
        }

        void arrived(long nanos) {
            int index = (int) next.getAndIncrement();
            if (index < arrivals.length) {
                arrivals[index] = nanos;
                done.countDown();
            }
        }
    }

    /** Opens the connections; each subscribes, then pings: its pong means the server has handled the subscribe. */
    private static List<WebSocket> connect(int port, int subscribers, AtomicReference<Round> current, CountDownLatch subscribed) {
        List<HttpClient> clients = List.of(HttpClient.newHttpClient(), HttpClient.newHttpClient(), HttpClient.newHttpClient(), HttpClient.newHttpClient());
        List<WebSocket> sockets = new ArrayList<>();
        String subscribe = "{\"type\":\"subscribe\",\"id\":\"a\",\"payload\":{\"query\":\"subscription { alerts(rule: \\\"bench\\\") { id state observed } }\"}}";
        for (int batch = 0; batch < subscribers; batch += 100) {
            List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
            for (int index = batch; index < Math.min(subscribers, batch + 100); index++) {
                opening.add(clients.get(index % clients.size()).newWebSocketBuilder().subprotocols("graphql-transport-ws")
                        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/graphql"), new Listener(current, subscribed)));
            }
            for (CompletableFuture<WebSocket> future : opening) {
                WebSocket socket = future.join();
                socket.sendText("{\"type\":\"connection_init\"}", true).join();
                socket.sendText(subscribe, true).join();
                socket.sendText("{\"type\":\"ping\"}", true).join();
                sockets.add(socket);
            }
        }
        return sockets;
    }

    private static final class Listener implements WebSocket.Listener {
        private final AtomicReference<Round> current;
        private final CountDownLatch subscribed;

        Listener(AtomicReference<Round> current, CountDownLatch subscribed) {
            this.current = current;
            this.subscribed = subscribed;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            long now = System.nanoTime();
            String text = data.toString();
            if (last && text.contains("\"type\":\"next\"")) {
                current.get().arrived(now);
            }
            else if (last && text.contains("\"type\":\"pong\"")) {
                subscribed.countDown();
            }
            webSocket.request(1);
            return null;
        }
    }

    private static void report(String what, List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("%s: n=%d  p50=%.1f ms  p90=%.1f ms  p99=%.1f ms  max=%.1f ms%n", what, sorted.length, percentile(sorted, 50),
                percentile(sorted, 90), percentile(sorted, 99), sorted[sorted.length - 1] / 1e6);
    }

    private static double percentile(long[] sorted, double percent) {
        int index = (int) Math.ceil(percent / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
    }
}
