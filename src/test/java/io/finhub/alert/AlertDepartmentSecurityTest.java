package io.finhub.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.finhub.security.SecuredServer;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Subscriptions on the secured server: connection_init authenticates, subscribing needs
 * alerts.subscribe, and a marketing manager's alert stream carries only marketing's alerts. The rule
 * "monthly spend by department above 0" fires, by hand from the fixture, for mkt January (1000.00),
 * mkt February (234.56), eng January (7000.00) and sales February (500.00): four alerts, two of them
 * marketing's.
 */
class AlertDepartmentSecurityTest {
    private static final String ALERTS = "subscription { alerts(rule: \"spend-above-zero\") { rule periodLabel value scope { dimension value } } }";
    private static SecuredServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() {
        server = SecuredServer.start("security_company", 0);
        client = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void connection_init_without_a_valid_token_closes_with_4401() {
        try (AlertWsClient anonymous = AlertWsClient.connect(client, server.server().port())) {
            anonymous.send(Map.of("type", "connection_init"));
            assertThat(anonymous.closeCode()).isEqualTo(4401);
        }
        try (AlertWsClient forged = AlertWsClient.connect(client, server.server().port())) {
            forged.send(Map.of("type", "connection_init", "payload", Map.of("Authorization", "Bearer not-a-token")));
            assertThat(forged.closeCode()).isEqualTo(4401);
        }
    }

    @Test
    void subscribing_without_alerts_subscribe_is_forbidden() {
        String readOnly = SecuredServer.jwt("reader", List.of("financial_data.read"), List.of("analyst"), Optional.empty());
        try (AlertWsClient reader = authenticated(readOnly)) {
            reader.subscribe("1", ALERTS, Map.of());
            JsonNode error = reader.expect("error");
            assertThat(error.at("/payload/0/extensions/code").asText()).isEqualTo("FORBIDDEN");
        }
    }

    @Test
    void a_marketing_subscriber_receives_only_marketing_alerts_while_an_admin_receives_all() {
        JsonNode created = SecuredServer.json(server.graphql(SecuredServer.admin(), """
                mutation { createAlertRule(input: {id: "spend-above-zero", name: "Any spend", measure: "spend", dimensions: ["department"],
                    grain: MONTH, from: "2025-01-01", to: "2025-03-31", comparison: ABOVE, threshold: 0, enabled: false}) { id status } }""", Map.of()).body());
        assertThat(created.at("/data/createAlertRule/status").asText()).as(created.toString()).isEqualTo("DISABLED");
        try (AlertWsClient admin = authenticated(SecuredServer.admin()); AlertWsClient marketing = authenticated(SecuredServer.marketing())) {
            admin.subscribe("a", ALERTS, Map.of());
            marketing.subscribe("m", ALERTS, Map.of());
            admin.roundTrip();
            marketing.roundTrip();
            JsonNode enabled = SecuredServer.json(server.graphql(SecuredServer.admin(), "mutation { enableAlertRule(id: \"spend-above-zero\") { status } }",
                    Map.of()).body());
            assertThat(enabled.at("/data/enableAlertRule/status").asText()).as(enabled.toString()).isEqualTo("ACTIVE");

            List<String> everyone = new ArrayList<>();
            for (int alert = 0; alert < 4; alert++) {
                everyone.add(department(admin.expect("next")));
            }
            assertThat(everyone).containsExactlyInAnyOrder("mkt", "mkt", "eng", "sales");

            List<String> seenByMarketing = new ArrayList<>();
            seenByMarketing.add(department(marketing.expect("next")));
            seenByMarketing.add(department(marketing.expect("next")));
            marketing.roundTrip();
            assertThat(seenByMarketing).containsExactly("mkt", "mkt");
        }
    }

    @Test
    void a_department_sees_the_alerts_of_the_campaigns_it_runs() {
        // Spend by campaign per month above 0, by hand from the fixture: s-q1 (run by mkt) 1000.00 in January and
        // 234.56 in February, ev-q1 (run by eng) 7000.00 in January; sp4 has no campaign.
        JsonNode created = SecuredServer.json(server.graphql(SecuredServer.admin(), """
                mutation { createAlertRule(input: {id: "campaign-spend", name: "Campaign spend", measure: "spend", dimensions: ["campaign"],
                    grain: MONTH, from: "2025-01-01", to: "2025-03-31", comparison: ABOVE, threshold: 0}) { id status } }""", Map.of()).body());
        assertThat(created.at("/data/createAlertRule/status").asText()).as(created.toString()).isEqualTo("ACTIVE");
        SecuredServer.json(server.graphql(SecuredServer.admin(), "mutation { evaluateAlertRules(rule: \"campaign-spend\") { id } }", Map.of()).body());
        String query = "{ alerts(rule: \"campaign-spend\") { periodLabel value scope { dimension value } } }";

        List<String> everyone = campaigns(SecuredServer.json(server.graphql(SecuredServer.admin(), query, Map.of()).body()));
        List<String> marketing = campaigns(SecuredServer.json(server.graphql(SecuredServer.marketing(), query, Map.of()).body()));

        assertThat(everyone).contains("s-q1 1000.00", "s-q1 234.56", "ev-q1 7000.00");
        assertThat(marketing).as("marketing runs s-q1, not ev-q1").containsExactlyInAnyOrder("s-q1 1000.00", "s-q1 234.56");
    }

    private static List<String> campaigns(JsonNode answer) {
        List<String> campaigns = new ArrayList<>();
        for (JsonNode alert : answer.at("/data/alerts")) {
            for (JsonNode value : alert.path("scope")) {
                if (value.path("dimension").asText().equals("campaign")) {
                    campaigns.add(value.path("value").asText() + " " + alert.path("value").decimalValue().setScale(2).toPlainString());
                }
            }
        }
        return campaigns;
    }

    private static String department(JsonNode next) {
        for (JsonNode value : next.at("/payload/data/alerts/scope")) {
            if (value.path("dimension").asText().equals("department")) {
                return value.path("value").asText();
            }
        }
        throw new AssertionError("an alert without a department: " + next);
    }

    private static AlertWsClient authenticated(String token) {
        AlertWsClient connection = AlertWsClient.connect(client, server.server().port());
        connection.send(Map.of("type", "connection_init", "payload", Map.of("Authorization", "Bearer " + token)));
        connection.expect("connection_ack");
        return connection;
    }
}
