package io.finhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finhub.store.Store;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The derived results a server rebuilds in the background from its start: awaited on request, stopped when it closes. */
class FinhubServerBackgroundBuildsTest {
    @Test
    void awaiting_the_background_builds_returns_once_the_derived_results_are_built() throws Exception {
        Store store = TestStores.withFixture("forecast_history");
        try (FinhubServer server = FinhubServer.start(store, "127.0.0.1", 0)) {
            assertThat(server.awaitBackgroundBuilds(Duration.ofMinutes(2))).isTrue();

            // The renewal cases and model are among what the server builds on its own; no request asked for them.
            long models = store.jdbi().withHandle(handle -> handle.createQuery("SELECT count(*) FROM forecast_model").mapTo(Long.class).one());
            assertThat(models).isEqualTo(1);
        }
    }

    @Test
    void a_closed_server_runs_no_more_builds_and_has_closed_its_store() throws Exception {
        Store store = TestStores.withFixture("forecast_history");
        FinhubServer server = FinhubServer.start(store, "127.0.0.1", 0);

        server.close();

        assertThat(store.isClosed()).isTrue();
        assertThatThrownBy(() -> server.awaitBackgroundBuilds(Duration.ofSeconds(1))).isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    }
}
