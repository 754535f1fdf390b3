package io.finhub;

import io.finhub.store.Store;
import io.finhub.store.StoreConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Real in-memory DuckDB stores loaded with named fixtures from {@code src/test/resources/fixtures}. */
public final class TestStores {
    private TestStores() {}

    public static Store withFixture(String name) {
        return withFixture(name, StoreConfig.inMemory());
    }

    public static Store withFixture(String name, StoreConfig config) {
        Store store = Store.open(config);
        load(store, name);
        return store;
    }

    public static void load(Store store, String name) {
        String sql = read("fixtures/" + name + ".sql");
        store.write("fixture:" + name, List.of("fixture"), handle -> handle.createScript(sql).execute());
    }

    private static String read(String resource) {
        try (InputStream in = TestStores.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
