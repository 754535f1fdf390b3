package io.finhub.cli;

import io.finhub.FinhubServer;
import io.finhub.seed.Scale;
import io.finhub.seed.SeedGenerator;
import io.finhub.store.Store;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start the GraphQL server (GraphiQL at /graphiql). An empty database is seeded with the demo company first.")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--host", defaultValue = "${env:FINHUB_HOST:-127.0.0.1}",
            description = "Address to listen on (env FINHUB_HOST, default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "${env:FINHUB_PORT:-8080}",
            description = "Port to listen on (env FINHUB_PORT, default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--seed-if-empty", negatable = true, defaultValue = "${env:FINHUB_SEED_IF_EMPTY:-true}", fallbackValue = "true",
            description = "Seed the demo company when the database holds no data (env FINHUB_SEED_IF_EMPTY, default ${DEFAULT-VALUE}).")
    boolean seedIfEmpty;

    @Override
    public Integer call() throws InterruptedException {
        Store store = Store.open(common.storeConfig());
        if (seedIfEmpty && store.dataVersion() == 0) {
            System.out.println("Empty database " + common.db + ": seeding the demo company.");
            new SeedGenerator(store).generate(Scale.DEMO, System.out::println);
        }
        FinhubServer server = FinhubServer.start(store, host, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Shutting down: finishing running requests, then closing " + common.db);
            server.close();
            stopped.countDown();
        }, "finhub-shutdown"));
        String base = "http://" + (host.equals("0.0.0.0") ? "localhost" : host) + ":" + server.port();
        System.out.printf("FinHub is serving %s (data version %d)%n  GraphQL   %s/graphql%n  GraphiQL  %s/graphiql%n  Health    %s/health%n",
                common.db, store.dataVersion(), base, base, base);
        stopped.await();
        return 0;
    }
}
