package io.finhub.cache;

import io.javalin.http.Context;

/**
 * What the caller of a request may see, as a cache-key component: two callers share a cached answer
 * only when their scopes are equal. The security work plugs its resolver in here (for example the
 * role and departments of the bearer token); until then every caller is {@link #PUBLIC}.
 */
@FunctionalInterface
public interface AccessScope {
    /** Every caller sees everything: the one scope while there is no authentication. */
    AccessScope PUBLIC = context -> "public";

    /** A stable, canonical name of the caller's scope; equal names must mean equal visibility. */
    String of(Context context);
}
