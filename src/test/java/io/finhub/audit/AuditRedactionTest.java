package io.finhub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Credentials are taken out of audited arguments at any depth, by name; everything else stays as given. */
class AuditRedactionTest {
    @Test
    void secret_named_values_are_redacted_at_any_depth_and_others_kept() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("url", "https://hooks.example/h");
        nested.put("secret", "s3cr3t-s3cr3t-s3cr3t");
        nested.put("webhookSecret", "another-one");
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("input", nested);
        arguments.put("rows", List.of(Map.of("api_key", "k-1"), Map.of("amount", "12.50")));
        arguments.put("idempotencyKey", "batch-7");
        arguments.put("Password", "hunter2");
        arguments.put("refreshToken", null);

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("input", Map.of("url", "https://hooks.example/h", "secret", "<redacted>", "webhookSecret", "<redacted>"));
        expected.put("rows", List.of(Map.of("api_key", "<redacted>"), Map.of("amount", "12.50")));
        expected.put("idempotencyKey", "batch-7");
        expected.put("Password", "<redacted>");
        expected.put("refreshToken", null);

        assertThat(AuditRedaction.redact(arguments)).isEqualTo(expected);
        assertThat(arguments.get("input")).as("the arguments themselves are not changed").isEqualTo(nested);
        assertThat(nested.get("secret")).isEqualTo("s3cr3t-s3cr3t-s3cr3t");
    }

    @Test
    void secret_named_query_parameters_are_redacted() {
        assertThat(AuditRedaction.redactQuery("mode=append&access_token=abc&filename=a.csv&api%2Dkey=x&flag"))
                .isEqualTo("mode=append&access_token=<redacted>&filename=a.csv&api%2Dkey=<redacted>&flag");
        assertThat(AuditRedaction.redactQuery(null)).isEmpty();
    }

    @Test
    void a_url_value_keeps_its_address_but_not_its_credentials() {
        Map<String, Object> webhook = new LinkedHashMap<>();
        webhook.put("url", "https://alice:hunter2@hooks.example.com/finhub/alerts?channel=finance&token=xoxb-123#top");
        webhook.put("mirror", List.of("https://xoxb-456@hooks.example.com/b", "http://hooks.example.com/c?sig=abc"));
        webhook.put("name", "Finance Slack");

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("url", "https://alice:<redacted>@hooks.example.com/finhub/alerts?channel=finance&token=<redacted>#top");
        // A user information without a colon is a token alone; a query parameter not named as a secret is kept.
        expected.put("mirror", List.of("https://<redacted>@hooks.example.com/b", "http://hooks.example.com/c?sig=abc"));
        expected.put("name", "Finance Slack");
        assertThat(AuditRedaction.redact(webhook)).isEqualTo(expected);
        // Not URLs, or an '@' of a path: kept as they are.
        assertThat(AuditRedaction.redact("alice@example.com")).isEqualTo("alice@example.com");
        assertThat(AuditRedaction.redact("see https://example.com/a@b")).isEqualTo("see https://example.com/a@b");
        assertThat(AuditRedaction.redact("https://medium.com/@finhub/post?x=1")).isEqualTo("https://medium.com/@finhub/post?x=1");
    }

    @Test
    void credentials_in_malformed_or_embedded_urls_are_redacted_too() {
        // A password with an unescaped '@' or '/', a URL after a space or inside a sentence, ';'-separated and fragment parameters.
        assertThat(AuditRedaction.redact("https://alice:p@ss@hooks.example.com/x")).isEqualTo("https://alice:<redacted>@hooks.example.com/x");
        assertThat(AuditRedaction.redact("https://alice:pa/ss@hooks.example.com/x")).isEqualTo("https://alice:<redacted>@hooks.example.com/x");
        assertThat(AuditRedaction.redact(" https://alice:s3cr3t@hooks.example.com/x")).isEqualTo(" https://alice:<redacted>@hooks.example.com/x");
        assertThat(AuditRedaction.redact("posted to https://bot:s3cr3t@hooks.example.com/x and https://h.example/y?token=t1 twice"))
                .isEqualTo("posted to https://bot:<redacted>@hooks.example.com/x and https://h.example/y?token=<redacted> twice");
        assertThat(AuditRedaction.redact("https://hooks.example.com/x?a=1;token=abc")).isEqualTo("https://hooks.example.com/x?a=1;token=<redacted>");
        assertThat(AuditRedaction.redact("https://hooks.example.com/x#access_token=abc&state=9"))
                .isEqualTo("https://hooks.example.com/x#access_token=<redacted>&state=9");
        assertThat(AuditRedaction.redact("https://hooks.example.com/x?a=1#api_key=k")).isEqualTo("https://hooks.example.com/x?a=1#api_key=<redacted>");
        assertThat(AuditRedaction.redactQuery("a=1;password=p&b=")).isEqualTo("a=1;password=<redacted>&b=");
    }
}
