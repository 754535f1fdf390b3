package io.finhub.graphql;

import graphql.schema.idl.RuntimeWiring;

/** A feature's part of the API: the fetchers for the fields its own {@code schema/graphql/*.graphqls} file declares. */
public interface GraphqlModule {
    void wire(RuntimeWiring.Builder wiring);
}
