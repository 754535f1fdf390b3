package io.finhub.security;

import static java.util.Objects.requireNonNull;

import java.util.EnumSet;
import java.util.Set;

/**
 * An authenticated caller: who ({@code subject}), what it may do ({@code scopes}), what it is
 * ({@code roles}) and which department rows it sees.
 *
 * <p>The HTTP and WebSocket edges bind the caller of a request to the thread that runs it
 * ({@link #bind}); the catalog's planner and the other SQL owners read {@link #current()}. It is the
 * one ambient value in FinHub, deliberately: a service that forgets to pass a parameter would leak
 * rows, one that reads the bound caller cannot. Work not started by a request (alert evaluation,
 * derived tables, the CLI, servers started without security) runs as {@link #SYSTEM}.
 *
 * @param rateKey what the rate limit counts by: the token, not the person (two tokens, two buckets)
 */
public record Caller(String subject, Set<Scope> scopes, Set<Role> roles, DepartmentAccess departments, String rateKey) {
    /** The server itself: every scope and every department. */
    public static final Caller SYSTEM = new Caller("system", EnumSet.allOf(Scope.class), Set.of(Role.ADMIN), DepartmentAccess.ALL, "system");

    /**
     * Nobody: no scope, no department. Bound to a WebSocket handshake, which authenticates later, on
     * the connection: were the request answered over HTTP instead, it may do and see nothing.
     */
    public static final Caller NOBODY = new Caller("nobody", Set.of(), Set.of(), DepartmentAccess.NONE, "nobody");

    private static final ThreadLocal<Caller> CURRENT = new ThreadLocal<>();

    public Caller {
        requireNonNull(subject, "subject is null");
        scopes = Set.copyOf(requireNonNull(scopes, "scopes is null"));
        roles = Set.copyOf(requireNonNull(roles, "roles is null"));
        requireNonNull(departments, "departments is null");
        requireNonNull(rateKey, "rateKey is null");
    }

    /** Whether the caller holds {@code scope}; {@link Scope#ADMIN} holds them all. */
    public boolean has(Scope scope) {
        return scopes.contains(scope) || scopes.contains(Scope.ADMIN);
    }

    /** The caller bound to this thread, or {@link #SYSTEM} when no request bound one. */
    public static Caller current() {
        Caller caller = CURRENT.get();
        return caller == null ? SYSTEM : caller;
    }

    /** Binds {@code caller} to this thread until the returned binding closes (which restores the previous one). */
    public static Binding bind(Caller caller) {
        requireNonNull(caller, "caller is null");
        Caller previous = CURRENT.get();
        CURRENT.set(caller);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            }
            else {
                CURRENT.set(previous);
            }
        };
    }

    /** Forgets whatever a previous request on this (pooled) thread bound. */
    public static void unbind() {
        CURRENT.remove();
    }

    /** A scope of {@link #bind}; closing it never throws. */
    public interface Binding extends AutoCloseable {
        @Override
        void close();
    }
}
