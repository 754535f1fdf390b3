package io.finhub.ingest;

import static io.finhub.ingest.IngestFixtures.ACTOR;
import static io.finhub.ingest.IngestFixtures.CLOCK;
import static io.finhub.ingest.IngestFixtures.count;
import static io.finhub.ingest.IngestFixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.finhub.store.Store;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recorded streams shaped like the real taps' output (src/test/resources/singer) through the shipped presets. */
class IngestSingerTest {
    private Store store;
    private IngestService service;

    @BeforeEach
    void open() {
        store = IngestFixtures.tinyCompany();
        service = new IngestService(store, CLOCK);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void salesforce_campaigns_and_won_opportunities_land_in_one_batch_and_the_last_state_is_kept() {
        IngestResult result = importStream("salesforce", "salesforce.jsonl", Map.of("product_id", "core", "department_id", "mkt"));

        assertThat(result.status()).isEqualTo(IngestStatus.COMMITTED);
        assertThat(result.datasets()).extracting(IngestResult.DatasetResult::dataset, IngestResult.DatasetResult::rowsRead)
                .containsExactly(tuple("dim_campaign", 1L), tuple("fact_conversion", 2L));
        assertThat(rows(store, "SELECT campaign_id, channel_id, department_id, objective, start_date::VARCHAR AS s, end_date::VARCHAR AS e FROM dim_campaign"
                + " WHERE campaign_id = '701Qy00000AbCdE'")).singleElement().satisfies(row -> assertThat(row).containsEntry("channel_id", "email")
                        .containsEntry("department_id", "mkt").containsEntry("objective", "ACQUISITION").containsEntry("s", "2025-04-01")
                        .containsEntry("e", "2025-05-31"));
        // Aa1 was re-sent with 1250.00 after 1200.5: the later record wins. Aa3 was lost, so it is no conversion.
        assertThat(conversions("WHERE conversion_id LIKE '006%'")).containsExactly(
                "006Qy000001Aa1 c1 core NEW_BUSINESS 2025-03-10 00:00:00 1250.00 USD",
                "006Qy000001Aa2 c2 core RENEWAL 2025-03-20 00:00:00 800.00 EUR");
        assertThat(result.singerState()).hasValueSatisfying(state -> assertThat(state)
                .contains("\"Opportunity\":{\"SystemModstamp\":\"2025-03-31T17:45:10.000000Z\"").contains("\"current_stream\":null"));
    }

    @Test
    void hubspot_closed_won_deals_become_conversions_in_utc() {
        IngestResult result = importStream("hubspot", "hubspot.jsonl", Map.of("product_id", "core"));

        assertThat(result.status()).isEqualTo(IngestStatus.COMMITTED);
        assertThat(conversions("WHERE conversion_id LIKE '98765%'")).containsExactly(
                "9876543210 c1 core EXPANSION 2025-02-14 16:30:00 5000.00 USD",
                "9876543212 c2 core NEW_BUSINESS 2025-03-03 11:00:00 2500.75 EUR");
    }

    @Test
    void quickbooks_accounts_journal_lines_and_invoices_follow_the_sign_convention() {
        IngestResult result = importStream("quickbooks", "quickbooks.jsonl", Map.of("entity_id", "US", "department_id", "mkt"));

        assertThat(result.status()).isEqualTo(IngestStatus.COMMITTED);
        assertThat(result.datasets()).extracting(IngestResult.DatasetResult::dataset)
                .containsExactly("dim_gl_account", "fact_gl_actual", "fact_invoice");
        assertThat(rows(store, "SELECT account_name, account_type FROM dim_gl_account WHERE account_id = '4100'"))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("account_name", "Services revenue").containsEntry("account_type", "REVENUE"));
        assertThat(count(store, "SELECT count(*) FROM dim_gl_account WHERE account_id = '1200'")).isZero();
        // JE 145: media cost debited 300 (the accrual's credit is a balance-sheet line); JE 146: revenue credited 900 (the receivable is balance sheet).
        assertThat(glLines("WHERE entry_id IN ('145-0', '145-1', '146-0', '146-1')")).containsExactly(
                "145-0 US 2025-03-15 mkt 6100 300.00 USD Search ads, March",
                "146-1 US 2025-03-31 eng 4100 900.00 USD Onboarding services");
        assertThat(rows(store, "SELECT customer_id, invoice_date::VARCHAR AS d, service_start::VARCHAR AS s, service_end::VARCHAR AS e, amount, currency_code"
                + " FROM fact_invoice WHERE invoice_id = '1037'")).singleElement().satisfies(row -> assertThat(row)
                        .containsEntry("customer_id", "c2").containsEntry("d", "2025-03-05").containsEntry("s", "2025-03-01").containsEntry("e", "2025-03-01")
                        .containsEntry("amount", new BigDecimal("1500.00")).containsEntry("currency_code", "EUR"));
    }

    @Test
    void netsuite_debits_and_credits_become_costs_and_cost_reductions() {
        IngestResult result = importStream("netsuite", "netsuite.jsonl", Map.of("department_id", "eng"));

        assertThat(result.status()).isEqualTo(IngestStatus.COMMITTED);
        assertThat(glLines("WHERE entry_id LIKE '8823%'")).containsExactly(
                "88231-1 US 2025-02-28 eng 6200 4100.00 USD Salaries February",
                "88232-1 US 2025-02-28 mkt 6100 -120.00 USD Vendor credit");
    }

    @Test
    void a_sync_updates_the_columns_the_preset_maps_and_keeps_the_others() {
        // tiny_company: 6100 'Media', EXPENSE, cost type MEDIA. The quickbooks preset maps account_id, account_name and
        // account_type; QuickBooks has no cost type. So 6100 becomes 'Media advertising', EXPENSE, and keeps MEDIA;
        // 6300 is new, and has no cost type until finance sets one.
        String stream = String.join("\n",
                "{\"type\": \"SCHEMA\", \"stream\": \"accounts\", \"schema\": {}, \"key_properties\": [\"Id\"]}",
                "{\"type\": \"RECORD\", \"stream\": \"accounts\", \"record\": {\"Id\": \"6100\", \"Name\": \"Media advertising\","
                        + " \"Classification\": \"Expense\", \"AccountType\": \"Expense\"}}",
                "{\"type\": \"RECORD\", \"stream\": \"accounts\", \"record\": {\"Id\": \"6300\", \"Name\": \"Software\","
                        + " \"Classification\": \"Expense\", \"AccountType\": \"Expense\"}}") + "\n";

        IngestResult result = service.importSinger(new SingerRequest(SingerPreset.named("quickbooks"), Map.of("entity_id", "US", "department_id", "mkt"),
                new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), Optional.empty(), ACTOR, "test"), IngestProgress.NONE);

        assertThat(result.status()).isEqualTo(IngestStatus.COMMITTED);
        assertThat(result.datasets()).singleElement().satisfies(dataset -> {
            assertThat(dataset.updated()).isEqualTo(1);
            assertThat(dataset.inserted()).isEqualTo(1);
        });
        assertThat(accounts("WHERE account_id IN ('6100', '6300')")).containsExactly(
                "6100 Media advertising EXPENSE MEDIA",
                "6300 Software EXPENSE null");
    }

    @Test
    void a_file_upsert_still_replaces_the_whole_row(@TempDir Path directory) {
        // schema/datasets.md: a file's upsert replaces the whole row of existing keys, left-out columns become NULL.
        Path file = IngestFixtures.write(directory, "accounts.csv", """
                account_id,account_name,account_type
                6100,Media advertising,EXPENSE
                """);

        IngestResult result = IngestFixtures.importFile(service, "dim_gl_account", file);

        assertThat(result.status()).isEqualTo(IngestStatus.COMMITTED);
        assertThat(accounts("WHERE account_id = '6100'")).containsExactly("6100 Media advertising EXPENSE null");
    }

    @Test
    void a_replayed_stream_is_a_no_op() {
        IngestResult first = importStream("hubspot", "hubspot.jsonl", Map.of("product_id", "core"));
        long version = store.dataVersion();

        IngestResult replay = importStream("hubspot", "hubspot.jsonl", Map.of("product_id", "core"));

        assertThat(replay.status()).isEqualTo(IngestStatus.ALREADY_IMPORTED);
        assertThat(replay.batchId()).isEqualTo(first.batchId());
        assertThat(replay.singerState()).isEqualTo(first.singerState());
        assertThat(store.dataVersion()).isEqualTo(version);
    }

    @Test
    void bad_messages_and_bad_mapped_values_are_reported_by_stream_line() {
        String stream = String.join("\n",
                "{\"type\": \"RECORD\", \"stream\": \"deals\", \"record\": {\"id\": \"1\"}}",
                "{\"type\": \"SCHEMA\", \"stream\": \"deals\", \"schema\": {}, \"key_properties\": [\"id\"]}",
                "{\"type\": \"RECORD\", \"stream\": \"deals\", \"record\": {\"id\": \"2\", \"properties\": {\"amount\": \"12,50\", "
                        + "\"closedate\": \"2025-03-01T00:00:00Z\", \"dealstage\": \"closedwon\"}, \"archived\": false, \"companies\": [\"c404\"]}}",
                "{\"type\": \"RECORD\", \"stream\": \"deals\"",
                "{\"type\": \"STATE\", \"value\": {}}") + "\n";

        IngestResult result = service.importSinger(new SingerRequest(SingerPreset.named("hubspot"), Map.of("product_id", "core"),
                new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), Optional.empty(), ACTOR, "test"), IngestProgress.NONE);

        assertThat(result.status()).isEqualTo(IngestStatus.REJECTED);
        assertThat(result.problems()).extracting(IngestProblem::dataset, IngestProblem::row, IngestProblem::column, IngestProblem::reason)
                .containsExactly(
                        tuple("singer", 1L, null, "RECORD of a stream whose SCHEMA message has not come yet"),
                        tuple("singer", 4L, null, result.problems().get(1).reason()),
                        tuple("fact_conversion", 3L, "customer_id", "unknown customer_id: not in dim_customer"),
                        tuple("fact_conversion", 3L, "amount", "not a number that fits DECIMAL(18,2)"));
        assertThat(result.problems().get(1).reason()).startsWith("not a JSON message");
        assertThat(count(store, "SELECT count(*) FROM fact_conversion")).isEqualTo(3);
    }

    private IngestResult importStream(String preset, String resource, Map<String, String> parameters) {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("singer/" + resource)) {
            return service.importSinger(new SingerRequest(SingerPreset.named(preset), parameters, in, Optional.empty(), ACTOR, resource), IngestProgress.NONE);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> conversions(String where) {
        return rows(store, "SELECT concat_ws(' ', conversion_id, customer_id, product_id, deal_type, converted_at::VARCHAR, amount::VARCHAR, currency_code) AS line"
                + " FROM fact_conversion " + where + " ORDER BY conversion_id").stream().map(row -> (String) row.get("line")).toList();
    }

    private List<String> accounts(String where) {
        return rows(store, "SELECT concat_ws(' ', account_id, account_name, account_type, coalesce(cost_type, 'null')) AS line FROM dim_gl_account "
                + where + " ORDER BY account_id").stream().map(row -> (String) row.get("line")).toList();
    }

    private List<String> glLines(String where) {
        return rows(store, "SELECT concat_ws(' ', entry_id, entity_id, posting_date::VARCHAR, department_id, account_id, amount::VARCHAR, currency_code, description)"
                + " AS line FROM fact_gl_actual " + where + " ORDER BY entry_id").stream().map(row -> (String) row.get("line")).toList();
    }
}
