package io.finhub.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Writes through the secured server land in the audit log with their caller; the GraphQL check finds a tampered entry. */
class AuditEndToEndTest {
    private static SecuredServer server;

    @BeforeAll
    static void start() {
        server = SecuredServer.start("security_company", 0);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void a_mutation_is_audited_with_its_caller_and_a_tampered_entry_is_reported_over_graphql() {
        JsonNode created = server.graphqlJson(SecuredServer.admin(), """
                mutation { createAlertRule(input: {id: "audited-rule", name: "Audited", measure: "spend", comparison: ABOVE, threshold: 100000}) { id } }""");
        assertThat(created.at("/data/createAlertRule/id").asText()).as(created.toString()).isEqualTo("audited-rule");
        server.graphqlJson(SecuredServer.admin(), "mutation { disableAlertRule(id: \"audited-rule\") { id } }");

        JsonNode log = server.graphqlJson(SecuredServer.admin(), "{ auditLog(limit: 100) { seq actor action target detail } }");
        JsonNode entries = log.at("/data/auditLog");
        assertThat(entries.size()).isGreaterThanOrEqualTo(2);
        JsonNode first = entries.get(entries.size() - 2);
        JsonNode second = entries.get(entries.size() - 1);
        assertThat(first.path("actor").asText()).isEqualTo("jwt:alice-admin");
        assertThat(first.path("action").asText()).isEqualTo("graphql.mutation");
        assertThat(first.path("target").asText()).isEqualTo("createAlertRule");
        assertThat(first.path("detail").asText()).contains("audited-rule").contains("\"outcome\":\"ok\"");
        assertThat(second.path("target").asText()).isEqualTo("disableAlertRule");
        assertThat(server.graphqlJson(SecuredServer.admin(), "{ auditVerification { ok problems } }").at("/data/auditVerification/ok").asBoolean()).isTrue();

        long seq = first.path("seq").asLong();
        server.server().store().jdbi().useHandle(handle -> handle.execute("UPDATE audit_log SET actor = 'jwt:somebody-else' WHERE seq = " + seq));
        JsonNode verification = server.graphqlJson(SecuredServer.admin(), "{ auditVerification { ok firstBrokenSeq problems } }").at("/data/auditVerification");
        assertThat(verification.path("ok").asBoolean()).isFalse();
        assertThat(verification.path("firstBrokenSeq").asLong()).isEqualTo(seq);

        JsonNode refused = server.graphqlJson(SecuredServer.marketing(), "{ auditLog { seq } }");
        assertThat(refused.at("/errors/0/extensions/code").asText()).isEqualTo("FORBIDDEN");
        assertThat(server.graphql(SecuredServer.admin(), "{ me { subject allDepartments } }", Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void a_mutation_is_audited_with_the_arguments_it_ran_with_an_explicit_null_as_the_schema_default() {
        // AlertRuleInput's severity defaults to WARNING and enabled to true: written as null, the rule is made with those
        // defaults, and the audit entry must say so (it recorded the nulls the client wrote, not what ran).
        JsonNode created = server.graphqlJson(SecuredServer.admin(), """
                mutation { createAlertRule(input: {id: "defaulted-rule", name: "Defaulted", measure: "spend", comparison: ABOVE, threshold: 5,
                                                   severity: null, enabled: null}) { id severity enabled } }""");
        assertThat(created.at("/data/createAlertRule/severity").asText()).as(created.toString()).isEqualTo("WARNING");
        assertThat(created.at("/data/createAlertRule/enabled").asBoolean()).isTrue();

        JsonNode entries = server.graphqlJson(SecuredServer.admin(), "{ auditLog(limit: 1000) { target detail } }").at("/data/auditLog");
        JsonNode entry = null;
        for (JsonNode candidate : entries) {
            if (candidate.path("target").asText().equals("createAlertRule") && candidate.path("detail").asText().contains("defaulted-rule")) {
                entry = candidate;
            }
        }
        assertThat(entry).as(entries.toString()).isNotNull();
        assertThat(entry.path("detail").asText()).contains("\"severity\":\"WARNING\"").contains("\"enabled\":true").doesNotContain(":null");
    }
}
