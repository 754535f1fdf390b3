package io.finhub.ingest;

import static io.finhub.ingest.IngestFixtures.ACTOR;
import static io.finhub.ingest.IngestFixtures.CLOCK;
import static io.finhub.ingest.IngestFixtures.count;
import static io.finhub.ingest.IngestFixtures.importFile;
import static io.finhub.ingest.IngestFixtures.rows;
import static io.finhub.ingest.IngestFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.finhub.TestStores;
import io.finhub.audit.AuditLog;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.DataChanged;
import io.finhub.store.Store;
import io.finhub.store.StoreConfig;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestModesTest {
    @TempDir
    Path directory;

    private Store store;
    private IngestService service;
    private final List<DataChanged> changes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        store = IngestFixtures.tinyCompany();
        store.onDataChanged(changes::add);
        service = new IngestService(store, CLOCK);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void append_adds_the_rows_writes_an_audit_entry_and_moves_the_data_version() {
        long versionBefore = store.dataVersion();
        Path file = write(directory, "touches.csv", """
                touchpoint_id,journey_id,customer_id,lead_id,channel_id,campaign_id,touched_at
                t10,j10,c1,,search,s-q1,2025-03-01T10:00:00Z
                t11,j10,,l9,email,,2025-03-02 11:30:00
                """);

        IngestResult result = importFile(service, "fact_touchpoint", file);

        assertThat(result.status()).isEqualTo(IngestStatus.COMMITTED);
        assertThat(result.problems()).isEmpty();
        assertThat(result.datasets()).singleElement().satisfies(dataset -> {
            assertThat(dataset.mode()).isEqualTo(IngestMode.APPEND);
            assertThat(dataset.rowsRead()).isEqualTo(2);
            assertThat(dataset.inserted()).isEqualTo(2);
        });
        assertThat(count(store, "SELECT count(*) FROM fact_touchpoint")).isEqualTo(3 + 2);
        assertThat(rows(store, "SELECT touched_at::VARCHAR AS at FROM fact_touchpoint WHERE touchpoint_id = 't11'"))
                .singleElement().satisfies(row -> assertThat(row.get("at")).isEqualTo("2025-03-02 11:30:00"));
        assertThat(result.dataVersion()).hasValue(versionBefore + 1);
        assertThat(store.dataVersion()).isEqualTo(versionBefore + 1);
        assertThat(changes).singleElement().satisfies(change -> {
            assertThat(change.version()).isEqualTo(versionBefore + 1);
            assertThat(change.datasets()).containsExactly("fact_touchpoint");
        });
        assertThat(rows(store, "SELECT actor, source, checksum, row_count, data_version, committed_at::VARCHAR AS at FROM finhub_ingest_batch"))
                .singleElement().satisfies(audit -> {
                    assertThat(audit.get("actor")).isEqualTo(ACTOR);
                    assertThat(audit.get("source")).isEqualTo(file.toString());
                    assertThat(audit.get("checksum")).isEqualTo(Checksums.sha256(file));
                    assertThat(audit.get("row_count")).isEqualTo(2L);
                    assertThat(audit.get("data_version")).isEqualTo(versionBefore + 1);
                    assertThat(audit.get("at")).isEqualTo("2025-04-01 09:30:00");
                });
    }

    @Test
    void an_import_and_its_audit_entry_commit_together_or_not_at_all() throws Exception {
        Path database = directory.resolve("finhub.duckdb");
        Path touches = write(directory, "touches.csv", """
                touchpoint_id,journey_id,customer_id,lead_id,channel_id,campaign_id,touched_at
                t10,j10,c1,,search,s-q1,2025-03-01T10:00:00Z
                t11,j10,,l9,email,,2025-03-02 11:30:00
                """);
        try (Store file = TestStores.withFixture("tiny_company", StoreConfig.file(database))) {
            IngestService fileService = new IngestService(file, CLOCK);
            long versionBefore = file.dataVersion();
            // The audit entry cannot be completed (its head is written through <db>.audit-head.tmp, a directory here):
            // the batch it records must not commit either.
            Path blocked = Files.createDirectory(directory.resolve("finhub.duckdb.audit-head.tmp"));
            assertThatThrownBy(() -> importFile(fileService, "fact_touchpoint", touches)).hasMessageContaining("cannot record the audit head");
            // tiny_company has 3 touchpoints; none added, no batch, no entry, no new data version
            assertThat(count(file, "SELECT count(*) FROM fact_touchpoint")).isEqualTo(3);
            assertThat(count(file, "SELECT count(*) FROM finhub_ingest_batch")).isZero();
            assertThat(count(file, "SELECT count(*) FROM audit_log")).isZero();
            assertThat(count(file, "SELECT coalesce(max(version), 0) FROM finhub_data_version")).isEqualTo(versionBefore);

            Files.delete(blocked);
            IngestResult result = importFile(fileService, "fact_touchpoint", touches);
            assertThat(result.status()).isEqualTo(IngestStatus.COMMITTED);
            // 3 + 2 rows, one batch, and its entry (seq 1) naming the batch and data version the import committed
            assertThat(count(file, "SELECT count(*) FROM fact_touchpoint")).isEqualTo(5);
            assertThat(rows(file, "SELECT seq, action, target, json_extract_string(detail, '$.batchId') AS batch, "
                    + "json_extract(detail, '$.dataVersion')::BIGINT AS version FROM audit_log"))
                    .singleElement().satisfies(entry -> {
                        assertThat(entry.get("seq")).isEqualTo(1L);
                        assertThat(entry.get("action")).isEqualTo("import");
                        assertThat(entry.get("target")).isEqualTo("fact_touchpoint");
                        assertThat(entry.get("batch")).isEqualTo(result.batchId().orElseThrow());
                        assertThat(entry.get("version")).isEqualTo(versionBefore + 1);
                    });
            assertThat(new AuditLog(file, CLOCK).verify().ok()).isTrue();
        }
    }

    @Test
    void a_timestamp_with_an_offset_is_stored_in_utc() {
        Path file = write(directory, "touches.csv", """
                touchpoint_id,journey_id,lead_id,channel_id,touched_at
                t20,j20,l20,search,2025-03-01T10:00:00+02:00
                t21,j21,l21,search,2025-03-01T10:00:00-05:00
                t22,j22,l22,search,2025-03-01 10:00:00-0500
                t23,j23,l23,search,2025-03-01T10:00:00.5-05:00
                t24,j24,l24,search,2025-03-01T10:00:00Z
                t25,j25,l25,search,2025-03-01 10:00:00
                """);

        importFile(service, "fact_touchpoint", file);

        assertThat(rows(store, "SELECT touchpoint_id, touched_at::VARCHAR AS at FROM fact_touchpoint WHERE touchpoint_id LIKE 't2_' ORDER BY touchpoint_id"))
                .extracting(row -> row.get("touchpoint_id"), row -> row.get("at"))
                .containsExactly(tuple("t20", "2025-03-01 08:00:00"), tuple("t21", "2025-03-01 15:00:00"), tuple("t22", "2025-03-01 15:00:00"),
                        tuple("t23", "2025-03-01 15:00:00.5"), tuple("t24", "2025-03-01 10:00:00"), tuple("t25", "2025-03-01 10:00:00"));
    }

    @Test
    void a_retried_batch_is_a_no_op() {
        Path file = write(directory, "deals.csv", """
                conversion_id,customer_id,product_id,deal_type,converted_at,amount,currency_code
                d10,c2,core,EXPANSION,2025-06-10T12:00:00Z,750.00,EUR
                """);
        IngestResult first = importFile(service, "fact_conversion", file);
        long version = store.dataVersion();

        IngestResult retry = importFile(service, "fact_conversion", file);

        assertThat(retry.status()).isEqualTo(IngestStatus.ALREADY_IMPORTED);
        assertThat(retry.batchId()).isEqualTo(first.batchId());
        assertThat(retry.dataVersion()).isEqualTo(first.dataVersion());
        assertThat(store.dataVersion()).isEqualTo(version);
        assertThat(count(store, "SELECT count(*) FROM fact_conversion WHERE conversion_id = 'd10'")).isEqualTo(1);
        assertThat(count(store, "SELECT count(*) FROM finhub_ingest_batch")).isEqualTo(1);
        assertThat(changes).hasSize(1);
        // The retry's staging, cancelled or not, left DuckDB's global setting as it found it.
        assertThat(count(store, "SELECT CAST(current_setting('preserve_insertion_order') AS BOOLEAN)::INTEGER")).isZero();
    }

    @Test
    void an_earlier_file_upserted_again_after_a_later_one_is_applied_again_and_a_retry_of_that_is_a_no_op() {
        Path earlier = write(directory, "channels-v1.csv", "channel_id,channel_name,channel_group\nsocial,Social,PAID\n");
        Path later = write(directory, "channels-v2.csv", "channel_id,channel_name,channel_group\nsocial,Social media,PAID\n");
        IngestResult first = importFile(service, "dim_channel", earlier);
        importFile(service, "dim_channel", later);
        assertThat(count(store, "SELECT count(*) FROM dim_channel WHERE channel_id = 'social' AND channel_name = 'Social media'")).isEqualTo(1);

        // Going back to the earlier file: the dataset changed since it was imported, so it is applied again (it answered
        // ALREADY_IMPORTED and the name stayed "Social media"), under its default key with #2.
        IngestResult again = importFile(service, "dim_channel", earlier);

        assertThat(again.status()).isEqualTo(IngestStatus.COMMITTED);
        assertThat(again.idempotencyKey()).isEqualTo(first.idempotencyKey() + "#2");
        assertThat(count(store, "SELECT count(*) FROM dim_channel WHERE channel_id = 'social' AND channel_name = 'Social'")).isEqualTo(1);
        long version = store.dataVersion();

        IngestResult retry = importFile(service, "dim_channel", earlier);

        assertThat(retry.status()).isEqualTo(IngestStatus.ALREADY_IMPORTED);
        assertThat(retry.batchId()).isEqualTo(again.batchId());
        assertThat(store.dataVersion()).isEqualTo(version);
        assertThat(count(store, "SELECT count(*) FROM finhub_ingest_batch")).isEqualTo(3);
    }

    @Test
    void an_appended_file_or_a_given_key_is_answered_for_good_even_after_other_changes() {
        Path deals = write(directory, "deals.csv", """
                conversion_id,customer_id,product_id,deal_type,converted_at,amount,currency_code
                d30,c2,core,EXPANSION,2025-06-10T12:00:00Z,750.00,EUR
                """);
        Path more = write(directory, "more-deals.csv", """
                conversion_id,customer_id,product_id,deal_type,converted_at,amount,currency_code
                d31,c2,core,EXPANSION,2025-06-11T12:00:00Z,250.00,EUR
                """);
        IngestResult appended = importFile(service, "fact_conversion", deals);
        importFile(service, "fact_conversion", more);
        // Appending the same rows again would add them twice: a re-sent append is a retry, whatever came in between.
        assertThat(importFile(service, "fact_conversion", deals).batchId()).isEqualTo(appended.batchId());

        Path v1 = write(directory, "c-v1.csv", "channel_id,channel_name,channel_group\nsocial,Social,PAID\n");
        Path v2 = write(directory, "c-v2.csv", "channel_id,channel_name,channel_group\nsocial,Social media,PAID\n");
        IngestResult keyed = service.importFile(IngestRequest.of("dim_channel", v1, ACTOR).withIdempotencyKey("channels-2025-04"), IngestProgress.NONE);
        importFile(service, "dim_channel", v2);
        IngestResult retried = service.importFile(IngestRequest.of("dim_channel", v1, ACTOR).withIdempotencyKey("channels-2025-04"), IngestProgress.NONE);
        assertThat(retried.status()).isEqualTo(IngestStatus.ALREADY_IMPORTED);
        assertThat(retried.batchId()).isEqualTo(keyed.batchId());
        assertThat(count(store, "SELECT count(*) FROM dim_channel WHERE channel_id = 'social' AND channel_name = 'Social media'")).isEqualTo(1);
    }

    @Test
    void a_gzipped_file_is_read_as_gzip_whatever_its_name_says() throws Exception {
        // As finhub import --db reads a local file: named .csv / .jsonl, but gzipped (it was read as text and rejected).
        Path csv = gzippedAs(directory.resolve("channels.csv"), "channel_id,channel_name,channel_group\nsocial,Social,PAID\nevents,Events,OWNED\n");
        Path jsonl = gzippedAs(directory.resolve("channels.jsonl"), "{\"channel_id\": \"podcasts\", \"channel_name\": \"Podcasts\", \"channel_group\": \"PAID\"}\n");

        IngestResult fromCsv = importFile(service, "dim_channel", csv);
        IngestResult fromJson = importFile(service, "dim_channel", jsonl);

        assertThat(fromCsv.status()).as(fromCsv.problems().toString()).isEqualTo(IngestStatus.COMMITTED);
        assertThat(fromJson.status()).as(fromJson.problems().toString()).isEqualTo(IngestStatus.COMMITTED);
        assertThat(rows(store, "SELECT channel_id, channel_name FROM dim_channel WHERE channel_id IN ('social', 'events', 'podcasts') ORDER BY channel_id"))
                .extracting(row -> row.get("channel_id"), row -> row.get("channel_name"))
                .containsExactly(tuple("events", "Events"), tuple("podcasts", "Podcasts"), tuple("social", "Social"));
    }

    private static Path gzippedAs(Path file, String text) throws java.io.IOException {
        return Files.write(file, IngestFixtures.gzip(text));
    }

    @Test
    void an_idempotency_key_reused_for_other_data_is_refused() {
        Path first = write(directory, "a.csv", "channel_id,channel_name,channel_group\nsocial,Social,PAID\n");
        Path second = write(directory, "b.csv", "channel_id,channel_name,channel_group\nevents,Events,OWNED\n");
        service.importFile(IngestRequest.of("dim_channel", first, ACTOR).withIdempotencyKey("nightly-2025-04-01"), IngestProgress.NONE);

        assertThatThrownBy(() -> service.importFile(IngestRequest.of("dim_channel", second, ACTOR).withIdempotencyKey("nightly-2025-04-01"),
                IngestProgress.NONE))
                .isInstanceOfSatisfying(FinhubException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IDEMPOTENCY_CONFLICT));
        assertThat(count(store, "SELECT count(*) FROM dim_channel WHERE channel_id = 'events'")).isZero();
    }

    @Test
    void upsert_inserts_new_keys_and_replaces_existing_ones() {
        Path file = write(directory, "channels.csv", """
                channel_id,channel_name,channel_group
                email,Email newsletters,OWNED
                partners,Partner referrals,PARTNER
                """);

        IngestResult result = importFile(service, "dim_channel", file);

        assertThat(result.datasets()).singleElement().satisfies(dataset -> {
            assertThat(dataset.mode()).isEqualTo(IngestMode.UPSERT);
            assertThat(dataset.inserted()).isEqualTo(1);
            assertThat(dataset.updated()).isEqualTo(1);
        });
        assertThat(rows(store, "SELECT channel_id, channel_name FROM dim_channel ORDER BY channel_id"))
                .extracting(row -> row.get("channel_id") + "=" + row.get("channel_name"))
                .containsExactly("email=Email newsletters", "partners=Partner referrals", "search=Paid search");
    }

    @Test
    void replace_swaps_one_month_of_one_entity_and_leaves_the_rest() {
        // tiny_company has g1 (2025-01-31), g2 and g3 (February) for entity US; February is re-exported as one corrected line.
        Path file = write(directory, "gl-2025-02.csv", """
                entry_id,entity_id,posting_date,department_id,account_id,amount,currency_code,description
                g2b,US,2025-02-28,mkt,6100,1050.00,USD,February media restated
                """);
        IngestRequest request = IngestRequest.of("fact_gl_actual", file, ACTOR)
                .withMode(IngestMode.REPLACE, List.of(Partition.parse("entity_id=US"), Partition.parse("posting_date=2025-02")));

        IngestResult result = service.importFile(request, IngestProgress.NONE);

        assertThat(result.status()).isEqualTo(IngestStatus.COMMITTED);
        assertThat(result.datasets()).singleElement().satisfies(dataset -> {
            assertThat(dataset.deleted()).isEqualTo(2);
            assertThat(dataset.inserted()).isEqualTo(1);
            assertThat(dataset.partition()).isEqualTo("entity_id=US, posting_date=2025-02");
        });
        assertThat(rows(store, "SELECT entry_id, amount FROM fact_gl_actual ORDER BY entry_id"))
                .extracting(row -> row.get("entry_id") + "=" + ((BigDecimal) row.get("amount")).toPlainString())
                .containsExactly("g1=450.00", "g2b=1050.00");
    }

    @Test
    void replace_rejects_rows_outside_the_partition() {
        Path file = write(directory, "gl.csv", """
                entry_id,entity_id,posting_date,department_id,account_id,amount,currency_code
                g9,US,2025-03-01,mkt,6100,10.00,USD
                """);
        IngestRequest request = IngestRequest.of("fact_gl_actual", file, ACTOR)
                .withMode(IngestMode.REPLACE, List.of(Partition.parse("posting_date=2025-02")));

        IngestResult result = service.importFile(request, IngestProgress.NONE);

        assertThat(result.status()).isEqualTo(IngestStatus.REJECTED);
        assertThat(result.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.row()).isEqualTo(1L);
            assertThat(problem.column()).isEqualTo("posting_date");
            assertThat(problem.reason()).contains("outside the partition");
        });
        assertThat(count(store, "SELECT count(*) FROM fact_gl_actual")).isEqualTo(3);
    }

    /**
     * Each row outside the partition is reported on the first partition column, in the order the
     * partition was given, that it does not match. entity_id=US, posting_date=2025-02 is US lines
     * from 2025-02-01 up to, not including, 2025-03-01: row 1 is inside; row 2 is US but January;
     * rows 3 and 4 are of entity EU (row 4 in March too), which dim_entity does not know either.
     * Before, every row was blamed on entity_id, row 2 with the value US it matches.
     */
    @Test
    void a_row_outside_the_partition_is_reported_on_the_column_it_does_not_match() {
        Path file = write(directory, "gl.csv", """
                entry_id,entity_id,posting_date,department_id,account_id,amount,currency_code
                g2b,US,2025-02-28,mkt,6100,10.00,USD
                g4,US,2025-01-31,mkt,6100,10.00,USD
                g5,EU,2025-02-14,mkt,6100,10.00,USD
                g6,EU,2025-03-01,mkt,6100,10.00,USD
                """);
        IngestRequest request = IngestRequest.of("fact_gl_actual", file, ACTOR)
                .withMode(IngestMode.REPLACE, List.of(Partition.parse("entity_id=US"), Partition.parse("posting_date=2025-02")));

        IngestResult result = service.importFile(request, IngestProgress.NONE);

        String outside = "is outside the partition being replaced (entity_id=US, posting_date=2025-02)";
        assertThat(result.status()).isEqualTo(IngestStatus.REJECTED);
        assertThat(result.problems())
                .extracting(IngestProblem::row, IngestProblem::column, IngestProblem::value, IngestProblem::reason)
                .containsExactly(
                        tuple(2L, "posting_date", "2025-01-31", outside),
                        tuple(3L, "entity_id", "EU", outside),
                        tuple(3L, "entity_id", "EU", "unknown entity_id: not in dim_entity"),
                        tuple(4L, "entity_id", "EU", outside),
                        tuple(4L, "entity_id", "EU", "unknown entity_id: not in dim_entity"));
        assertThat(rows(store, "SELECT entry_id FROM fact_gl_actual ORDER BY entry_id")).extracting(row -> row.get("entry_id"))
                .containsExactly("g1", "g2", "g3");
    }

    @Test
    void modes_that_do_not_fit_the_dataset_are_refused_before_reading() {
        Path file = write(directory, "channels.csv", "channel_id,channel_name,channel_group\nx,X,PAID\n");

        assertThatThrownBy(() -> service.importFile(IngestRequest.of("dim_channel", file, ACTOR).withMode(IngestMode.APPEND, List.of()), IngestProgress.NONE))
                .isInstanceOfSatisfying(FinhubException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
        assertThatThrownBy(() -> service.importFile(IngestRequest.of("fact_gl_actual", file, ACTOR).withMode(IngestMode.REPLACE, List.of()),
                IngestProgress.NONE))
                .isInstanceOfSatisfying(FinhubException.class, e -> assertThat(e.getMessage()).contains("--partition"));
        assertThatThrownBy(() -> importFile(service, "fact_nothing", file))
                .isInstanceOfSatisfying(FinhubException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void a_file_without_rows_imports_nothing() {
        Path file = write(directory, "empty.csv", "channel_id,channel_name,channel_group\n");

        IngestResult result = importFile(service, "dim_channel", file);

        assertThat(result.status()).isEqualTo(IngestStatus.NOTHING_TO_IMPORT);
        assertThat(count(store, "SELECT count(*) FROM finhub_ingest_batch")).isZero();
        assertThat(changes).isEmpty();

        // The same for rows given directly (the importRows mutation) when there are none: not six missing required columns.
        IngestResult none = service.importRows("dim_channel", List.of(), java.util.Optional.empty(), List.of(), java.util.Optional.empty(), "test", "test");
        assertThat(none.status()).isEqualTo(IngestStatus.NOTHING_TO_IMPORT);
        assertThat(none.problems()).isEmpty();
        assertThat(count(store, "SELECT count(*) FROM finhub_ingest_batch")).isZero();
        assertThat(changes).isEmpty();
        assertThatThrownBy(() -> service.importRows("fact_nothing", List.of(), java.util.Optional.empty(), List.of(), java.util.Optional.empty(), "test", "test"))
                .isInstanceOfSatisfying(FinhubException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }
}
