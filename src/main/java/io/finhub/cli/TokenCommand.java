package io.finhub.cli;

import io.finhub.security.ApiTokens;
import io.finhub.security.Role;
import io.finhub.security.Scope;
import io.finhub.store.Store;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code finhub token create|list|revoke}: API tokens for BI tools and services. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Create, list and revoke API tokens (for BI tools: the token is the Basic-auth password).",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a token and print its secret (shown this once only).")
    static final class Create implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--name", required = true, description = "Who or what uses it, e.g. 'tableau-finance'.")
        String name;

        @Option(names = "--scopes", split = ",", defaultValue = "financial_data.read",
                description = "Comma-separated: financial_data.read, financial_data.write, alerts.subscribe, admin (default ${DEFAULT-VALUE}).")
        List<String> scopes;

        @Option(names = "--roles", split = ",", defaultValue = "analyst",
                description = "Comma-separated: executive, finance, marketing, sales, product, customer_success, analyst, admin (default ${DEFAULT-VALUE}).")
        List<String> roles;

        @Option(names = "--departments", split = ",", description = "Only these department ids' rows (default: as the roles allow).")
        List<String> departments;

        @Override
        public Integer call() {
            Set<Scope> parsedScopes = scopes.stream().map(String::trim).map(Scope::parse).collect(Collectors.toSet());
            Set<Role> parsedRoles = roles.stream().map(String::trim).map(Role::parse).collect(Collectors.toSet());
            try (Store store = Store.open(common.storeConfig())) {
                ApiTokens.Created created = new ApiTokens(store, Clock.systemUTC()).create(name, parsedScopes, parsedRoles, Optional.ofNullable(departments));
                System.out.println("API token " + created.token().id() + " (" + name + "), shown once:");
                System.out.println(created.secret());
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens (never their secrets).")
    static final class ListTokens implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            try (Store store = Store.open(common.storeConfig())) {
                for (ApiTokens.ApiToken token : new ApiTokens(store, Clock.systemUTC()).list()) {
                    System.out.printf("%s  %-24s scopes=%s roles=%s departments=%s created=%s%s%n", token.id(), token.name(),
                            token.scopes().stream().map(Scope::claim).sorted().toList(), token.roles().stream().map(Role::claim).sorted().toList(),
                            token.departments().map(Object::toString).orElse("(by role)"), token.createdAt(),
                            token.revokedAt().map(at -> " REVOKED " + at).orElse(""));
                }
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token by id (the server stopped); it is refused from the next start.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            try (Store store = Store.open(common.storeConfig())) {
                new ApiTokens(store, Clock.systemUTC()).revoke(id);
                System.out.println("Revoked " + id);
            }
            return 0;
        }
    }
}
