package io.finhub.attribution;

import io.finhub.store.Store;
import io.finhub.store.StoreConfig;
import io.finhub.support.ClasspathResources;
import java.util.List;

/** Real in-memory stores loaded with the attribution fixtures in {@code src/test/resources/io/finhub/attribution}. */
final class AttributionFixtures {
    private AttributionFixtures() {}

    static Store store(String... fixtures) {
        Store store = Store.open(StoreConfig.inMemory());
        for (String fixture : fixtures) {
            load(store, fixture);
        }
        return store;
    }

    static void load(Store store, String fixture) {
        String sql = ClasspathResources.read("io/finhub/attribution/" + fixture + ".sql");
        store.write("fixture:" + fixture, List.of("fixture"), handle -> AttributionSql.execute(handle, sql));
    }

    /** A service that builds on the calling thread, so tests need no waiting. */
    static AttributionService service(Store store) {
        return new AttributionService(store, AttributionSettings.DEFAULTS, new AttributionEvents(), Runnable::run);
    }
}
