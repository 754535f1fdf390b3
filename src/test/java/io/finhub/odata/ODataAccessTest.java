package io.finhub.odata;

import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.FinhubServer;
import io.finhub.TestStores;
import io.finhub.catalog.MetricsService;
import io.finhub.realization.RealizationEvents;
import io.finhub.realization.RealizationService;
import io.finhub.revenue.RevenueModels;
import io.finhub.revenue.RevenueQueries;
import io.finhub.store.DerivedTables;
import io.finhub.store.Store;
import io.javalin.Javalin;
import java.net.http.HttpResponse;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The feed asks {@link ODataAccess} before it parses or reads anything, for data, metadata and vocabularies alike. */
class ODataAccessTest {
    private static Store store;
    private static Javalin app;
    private static ODataTestClient odata;
    private static final ODataAccess BEARER_ONLY = request -> "Bearer let-me-in".equals(request.getHeader("Authorization"))
            ? ODataAccess.Decision.allow()
            : ODataAccess.Decision.unauthorized("send an API token", "Bearer realm=\"FinHub\"");

    @BeforeAll
    static void start() {
        store = TestStores.withFixture("odata_company");
        DerivedTables derived = new DerivedTables(store);
        RevenueModels models = new RevenueModels(store, derived);
        MetricsService metrics = new MetricsService(store, FinhubServer.catalog(models, derived));
        RealizationService realization = new RealizationService(store, Clock.systemUTC(), new RealizationEvents(), Runnable::run);
        ODataModule module = new ODataModule(store, metrics, new RevenueQueries(store, models), realization, BEARER_ONLY);
        app = Javalin.create(config -> config.showJavalinBanner = false);
        module.routes(app);
        app.start("127.0.0.1", 0);
        odata = new ODataTestClient(app.port());
    }

    @AfterAll
    static void stop() {
        app.stop();
        store.close();
    }

    @Test
    void a_denied_request_gets_the_challenge_and_no_data() throws Exception {
        for (String path : new String[] {"", "$metadata", "SpendLines", "SpendLines.csv", "SpendLines/$count", "vocabularies/Org.OData.Core.V1.xml"}) {
            HttpResponse<String> response = odata.get(odata.uri(path));
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).as(path).hasValue("Bearer realm=\"FinHub\"");
            assertThat(response.body()).as(path).contains("UNAUTHENTICATED").doesNotContain("sp1", "EntityType");
        }
    }

    @Test
    void an_allowed_request_is_answered() throws Exception {
        HttpResponse<String> response = odata.get(odata.uri("SpendLines/$count"), "Authorization", "Bearer let-me-in");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("5");
        assertThat(odata.get(odata.uri("vocabularies/Org.OData.Core.V1.xml"), "Authorization", "Bearer let-me-in").body())
                .contains("<Term Name=\"Description\"");
    }
}
