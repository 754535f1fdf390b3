package io.finhub.cli;

import io.finhub.FinhubServer;
import io.finhub.cache.CacheSettings;
import io.finhub.http.TlsSettings;
import io.finhub.security.SecuritySettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
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

    @Option(names = "--jwt-secret", defaultValue = "${env:FINHUB_JWT_SECRET}", paramLabel = "SECRET",
            description = "HS256 shared secret (at least 32 bytes) bearer JWTs are signed with (env FINHUB_JWT_SECRET).")
    String jwtSecret;

    @Option(names = "--jwks-url", defaultValue = "${env:FINHUB_JWKS_URL}", paramLabel = "URL",
            description = "JWKS URL of the identity provider whose RS256 JWTs are accepted (env FINHUB_JWKS_URL).")
    URI jwksUrl;

    @Option(names = "--jwt-public-key", defaultValue = "${env:FINHUB_JWT_PUBLIC_KEY}", paramLabel = "PEM_FILE",
            description = "PEM file of the RSA public key RS256 JWTs are verified with, instead of a JWKS URL (env FINHUB_JWT_PUBLIC_KEY).")
    Path jwtPublicKey;

    @Option(names = "--jwt-issuer", defaultValue = "${env:FINHUB_JWT_ISSUER}", description = "Required 'iss' of JWTs (env FINHUB_JWT_ISSUER).")
    String jwtIssuer;

    @Option(names = "--jwt-audience", defaultValue = "${env:FINHUB_JWT_AUDIENCE}", description = "Required 'aud' of JWTs (env FINHUB_JWT_AUDIENCE).")
    String jwtAudience;

    @Option(names = "--dev-token", negatable = true, defaultValue = "${env:FINHUB_DEV_TOKEN:-true}", fallbackValue = "true",
            description = "Print a development token with every scope, accepted from loopback clients only (env FINHUB_DEV_TOKEN, default ${DEFAULT-VALUE}).")
    boolean devToken;

    @Option(names = "--rate-limit", defaultValue = "${env:FINHUB_RATE_LIMIT:-600}", paramLabel = "N",
            description = "Requests per minute per token; 0 for none (env FINHUB_RATE_LIMIT, default ${DEFAULT-VALUE}).")
    long rateLimit;

    @Option(names = "--warm-after-change", defaultValue = "${env:FINHUB_WARM_AFTER_CHANGE:-" + CacheSettings.DEFAULT_WARM_AFTER_CHANGE + "}", paramLabel = "N",
            description = "After each committed change and its rebuild, compute again the N cached answers asked most in the last day, "
                    + "so dashboards stay cached across imports; 0 for none (env FINHUB_WARM_AFTER_CHANGE, default ${DEFAULT-VALUE}).")
    int warmAfterChange;

    @Option(names = "--tls-keystore", defaultValue = "${env:FINHUB_TLS_KEYSTORE}", paramLabel = "P12_FILE",
            description = "PKCS12 keystore with the server's key and certificate: serve HTTPS and WSS only (env FINHUB_TLS_KEYSTORE).")
    Path tlsKeystore;

    @Option(names = "--tls-keystore-password-file", paramLabel = "FILE",
            description = "File whose first line is the keystore password; or set env FINHUB_TLS_KEYSTORE_PASSWORD (never on the command line, where ps shows it).")
    Path tlsKeystorePasswordFile;

    @Option(names = "--tls-cert", defaultValue = "${env:FINHUB_TLS_CERT}", paramLabel = "PEM_FILE",
            description = "PEM certificate chain, instead of a keystore; needs --tls-key (env FINHUB_TLS_CERT).")
    Path tlsCert;

    @Option(names = "--tls-key", defaultValue = "${env:FINHUB_TLS_KEY}", paramLabel = "PEM_FILE",
            description = "Unencrypted PKCS#8 PEM private key of --tls-cert (env FINHUB_TLS_KEY).")
    Path tlsKey;

    @Override
    public Integer call() throws InterruptedException, IOException {
        Optional<TlsSettings> tls = tls();
        Store store = Store.open(common.storeConfig());
        if (seedIfEmpty && store.dataVersion() == 0) {
            System.out.println("Empty database " + common.db + ": seeding the demo company.");
            new SeedGenerator(store).generate(Scale.DEMO, System.out::println);
        }
        Optional<String> development = devToken ? Optional.of(DevTokens.generate()) : Optional.empty();
        SecuritySettings security = new SecuritySettings(Optional.ofNullable(jwtSecret), Optional.ofNullable(jwksUrl),
                jwtPublicKey == null ? Optional.empty() : Optional.of(Files.readString(jwtPublicKey)), Optional.ofNullable(jwtIssuer),
                Optional.ofNullable(jwtAudience), development, rateLimit);
        FinhubServer server = FinhubServer.startSecured(store, host, port, CacheSettings.defaults(store.config()).withWarmAfterChange(warmAfterChange), security,
                tls);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Shutting down: finishing running requests, then closing " + common.db);
            server.close();
            stopped.countDown();
        }, "finhub-shutdown"));
        String base = (tls.isPresent() ? "https://" : "http://") + (host.equals("0.0.0.0") ? "localhost" : host) + ":" + server.port();
        System.out.printf("FinHub is serving %s (data version %d)%n  GraphQL   %s/graphql%n  GraphiQL  %s/graphiql%n  Health    %s/health%n",
                common.db, store.dataVersion(), base, base, base);
        development.ifPresent(token -> System.out.printf("Development token (every scope; accepted from this machine only; GraphiQL sends it for you):%n"
                + "  %s%n  curl -H 'Authorization: Bearer %s' '%s/graphql?query=%%7BdataVersion%%7D'%n", token, token, base));
        tls.ifPresent(settings -> System.out.println("  HTTPS only, with the certificate in " + settings.source()));
        stopped.await();
        return 0;
    }

    private Optional<TlsSettings> tls() throws IOException {
        if (tlsKeystore != null && tlsCert != null) {
            throw new IllegalArgumentException("give either --tls-keystore or --tls-cert with --tls-key, not both");
        }
        if (tlsKeystore != null) {
            return Optional.of(TlsSettings.pkcs12(tlsKeystore, Secrets.read(tlsKeystorePasswordFile, "FINHUB_TLS_KEYSTORE_PASSWORD")
                    .orElseThrow(() -> new IllegalArgumentException("--tls-keystore needs its password: --tls-keystore-password-file FILE "
                            + "or env FINHUB_TLS_KEYSTORE_PASSWORD"))));
        }
        if (tlsCert != null || tlsKey != null) {
            if (tlsCert == null || tlsKey == null) {
                throw new IllegalArgumentException("--tls-cert and --tls-key go together");
            }
            return Optional.of(TlsSettings.pem(tlsCert, tlsKey));
        }
        return Optional.empty();
    }
}
