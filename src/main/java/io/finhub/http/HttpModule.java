package io.finhub.http;

import io.javalin.Javalin;

/** A feature's own HTTP routes (imports, thin REST routes over GraphQL operations), added to the one server. */
public interface HttpModule {
    void routes(Javalin app);
}
