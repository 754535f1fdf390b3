package io.finhub.ingest;

import static io.finhub.ingest.IngestFixtures.CLOCK;
import static io.finhub.ingest.IngestFixtures.count;
import static io.finhub.ingest.IngestFixtures.importFile;
import static io.finhub.ingest.IngestFixtures.rows;
import static io.finhub.ingest.IngestFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.finhub.store.Store;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every kind of bad input is reported with row, column and reason, and nothing is written. */
class IngestValidationTest {
    @TempDir
    Path directory;

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
    void every_bad_value_of_a_batch_is_reported_and_nothing_is_written() {
        long version = store.dataVersion();
        // Row 1 is clean; every other row breaks exactly the rules named beside it (tiny_company knows c1, c2, core, USD, EUR).
        Path file = write(directory, "deals.csv", """
                conversion_id,customer_id,product_id,deal_type,converted_at,amount,currency_code
                d10,c1,core,NEW_BUSINESS,2025-03-01T10:00:00Z,100.00,USD
                d11,c1,core,UPSELL,2025-03-02T10:00:00Z,100.00,USD
                d12,c1,core,RENEWAL,2025-02-30,100.00,USD
                d13,c1,core,RENEWAL,2025-03-03T10:00:00Z,-5.00,USD
                d14,c1,core,RENEWAL,2025-03-04T10:00:00Z,1O0,USD
                d15,c1,core,RENEWAL,2025-03-05T10:00:00Z,10.005,USD
                d16,c1,core,RENEWAL,2025-03-06T10:00:00Z,10.00,XYZ
                d17,c1,core,RENEWAL,2025-03-07T10:00:00Z,10.00,GBP
                d18,c9,gadget,RENEWAL,2025-03-08T10:00:00Z,10.00,USD
                d19,,core,RENEWAL,2025-03-09T10:00:00Z,10.00,USD
                d10,c1,core,RENEWAL,2025-03-10T10:00:00Z,10.00,USD
                d1,c1,core,RENEWAL,2025-03-11T10:00:00Z,10.00,USD
                d20,c1,core,RENEWAL,1825-03-11T10:00:00Z,10.00,USD
                """);

        IngestResult result = importFile(service, "fact_conversion", file);

        assertThat(result.status()).isEqualTo(IngestStatus.REJECTED);
        assertThat(result.problems())
                .extracting(IngestProblem::row, IngestProblem::column, IngestProblem::value, IngestProblem::reason)
                .containsExactly(
                        tuple(2L, "deal_type", "UPSELL", "must be one of NEW_BUSINESS, EXPANSION, RENEWAL"),
                        tuple(3L, "converted_at", "2025-02-30", "not a timestamp (ISO 8601, e.g. 2025-03-31T14:05:00Z; without an offset it is read as UTC)"),
                        tuple(4L, "amount", "-5.00", "must satisfy amount >= 0"),
                        tuple(5L, "amount", "1O0", "not a number that fits DECIMAL(18,2)"),
                        tuple(6L, "amount", "10.005", "has more decimal places than DECIMAL(18,2) keeps"),
                        tuple(7L, "currency_code", "XYZ", "not an ISO 4217 currency code"),
                        tuple(8L, "currency_code", "GBP", "currency not in dim_currency: import it into dim_currency first"),
                        tuple(9L, "customer_id", "c9", "unknown customer_id: not in dim_customer"),
                        tuple(9L, "product_id", "gadget", "unknown product_id: not in dim_product"),
                        tuple(10L, "customer_id", null, "a value is required"),
                        tuple(11L, "conversion_id", "d10", "duplicate key: the same key is on row 1"),
                        tuple(12L, "conversion_id", "d1", "key already in fact_conversion: upsert replaces it, replace re-imports its partition"),
                        tuple(13L, "converted_at", "1825-03-11 10:00:00", "is outside 1900-01-01 to 2199-12-31"));
        assertThat(result.problemCount()).isEqualTo(13);
        assertThat(count(store, "SELECT count(*) FROM fact_conversion")).isEqualTo(3);
        assertThat(count(store, "SELECT count(*) FROM finhub_ingest_batch")).isZero();
        assertThat(store.dataVersion()).isEqualTo(version);
    }

    /**
     * Text is checked against the documented forms before DuckDB casts it, which would take each of
     * these and change it: 10.0000000000001 has 13 decimal places, DECIMAL(18,2) keeps 2 (a cast through
     * DECIMAL(38,12) saw 10.000000000000 and stored 10.00); 1_000 and 0x10 were 1000 and 16; 1e3 (an
     * exponent, refused in text) 1000; the timestamp with an offset was the day 2026-11-30; 2025/03/01
     * and 2025-3-1 were dates. In a SMALLINT column 1.5 was 2. Row 1 of each file is clean.
     */
    @Test
    void text_that_is_not_a_documented_date_or_number_is_a_problem_not_a_conversion() {
        Path spend = write(directory, "spend.csv", """
                spend_id,spend_date,department_id,cost_type,amount,currency_code
                sp10,2025-03-03,mkt,MEDIA,10.10,USD
                sp11,2025-03-03,mkt,MEDIA,10.0000000000001,USD
                sp12,2025-03-03,mkt,MEDIA,1_000,USD
                sp13,2025-03-03,mkt,MEDIA,0x10,USD
                sp14,2025-03-03,mkt,MEDIA,1e3,USD
                sp15,2026-11-30T23:30:00-05:00,mkt,MEDIA,5.00,USD
                sp16,2025/03/01,mkt,MEDIA,5.00,USD
                sp17,2025-3-1,mkt,MEDIA,5.00,USD
                """);
        Path scores = write(directory, "health.csv", """
                customer_id,scored_on,health_score,risk_band
                c1,2025-03-01,80,HEALTHY
                c1,2025-03-02,0x10,WATCH
                c1,2025-03-03,1_0,WATCH
                c1,2025-03-04,1.5,WATCH
                """);

        IngestResult spendResult = importFile(service, "fact_spend", spend);
        IngestResult scoresResult = importFile(service, "fact_health_score", scores);

        String notANumber = "not a number that fits DECIMAL(18,2)";
        String notADate = "not a date (YYYY-MM-DD)";
        assertThat(spendResult.problems())
                .extracting(IngestProblem::row, IngestProblem::column, IngestProblem::value, IngestProblem::reason)
                .containsExactly(
                        tuple(2L, "amount", "10.0000000000001", "has more decimal places than DECIMAL(18,2) keeps"),
                        tuple(3L, "amount", "1_000", notANumber),
                        tuple(4L, "amount", "0x10", notANumber),
                        tuple(5L, "amount", "1e3", notANumber),
                        tuple(6L, "spend_date", "2026-11-30T23:30:00-05:00", notADate),
                        tuple(7L, "spend_date", "2025/03/01", notADate),
                        tuple(8L, "spend_date", "2025-3-1", notADate));
        String notAWholeNumber = "not a whole number that fits SMALLINT";
        assertThat(scoresResult.problems())
                .extracting(IngestProblem::row, IngestProblem::column, IngestProblem::value, IngestProblem::reason)
                .containsExactly(
                        tuple(2L, "health_score", "0x10", notAWholeNumber),
                        tuple(3L, "health_score", "1_0", notAWholeNumber),
                        tuple(4L, "health_score", "1.5", notAWholeNumber));
        assertThat(count(store, "SELECT count(*) FROM fact_spend")).isEqualTo(3);
        assertThat(count(store, "SELECT count(*) FROM fact_health_score")).isZero();
    }

    /**
     * In JSON lines a string is text and checked as in CSV; a JSON number is not text: its form is
     * JSON's (1e3 is a number), only its decimal places count, read from the number as written.
     */
    @Test
    void json_strings_are_checked_as_text_and_json_numbers_by_their_places() {
        Path spend = write(directory, "spend.jsonl", """
                {"spend_id": "sp20", "spend_date": "2025-03-03", "department_id": "mkt", "cost_type": "MEDIA", "amount": 1e3, "currency_code": "USD"}
                {"spend_id": "sp21", "spend_date": "2025-03-03", "department_id": "mkt", "cost_type": "MEDIA", "amount": "1e3", "currency_code": "USD"}
                {"spend_id": "sp22", "spend_date": "2025-03-03", "department_id": "mkt", "cost_type": "MEDIA", "amount": 10.0000000000001, "currency_code": "USD"}
                {"spend_id": "sp23", "spend_date": "2025-03-03", "department_id": "mkt", "cost_type": "MEDIA", "amount": "1_000", "currency_code": "USD"}
                {"spend_id": "sp24", "spend_date": "2025-03-03T00:00:00Z", "department_id": "mkt", "cost_type": "MEDIA", "amount": 2.5, "currency_code": "USD"}
                {"spend_id": "sp25", "spend_date": "2025-03-03", "department_id": "mkt", "cost_type": "MEDIA", "amount": 1e-7, "currency_code": "USD"}
                """);
        Path scores = write(directory, "health.jsonl", """
                {"customer_id": "c1", "scored_on": "2025-03-01", "health_score": 80.0, "risk_band": "HEALTHY"}
                {"customer_id": "c1", "scored_on": "2025-03-02", "health_score": 1.5, "risk_band": "WATCH"}
                {"customer_id": "c1", "scored_on": "2025-03-03", "health_score": "0x10", "risk_band": "WATCH"}
                """);

        IngestResult spendResult = importFile(service, "fact_spend", spend);
        IngestResult scoresResult = importFile(service, "fact_health_score", scores);

        assertThat(spendResult.problems())
                .extracting(IngestProblem::row, IngestProblem::column, IngestProblem::value, IngestProblem::reason)
                .containsExactly(
                        tuple(2L, "amount", "1e3", "not a number that fits DECIMAL(18,2)"),
                        tuple(3L, "amount", "10.0000000000001", "has more decimal places than DECIMAL(18,2) keeps"),
                        tuple(4L, "amount", "1_000", "not a number that fits DECIMAL(18,2)"),
                        tuple(5L, "spend_date", "2025-03-03T00:00:00Z", "not a date (YYYY-MM-DD)"),
                        tuple(6L, "amount", "1e-7", "has more decimal places than DECIMAL(18,2) keeps"));
        assertThat(scoresResult.problems())
                .extracting(IngestProblem::row, IngestProblem::column, IngestProblem::value, IngestProblem::reason)
                .containsExactly(
                        tuple(2L, "health_score", "1.5", "not a whole number that fits SMALLINT"),
                        tuple(3L, "health_score", "0x10", "not a whole number that fits SMALLINT"));
        assertThat(count(store, "SELECT count(*) FROM fact_spend")).isEqualTo(3);
    }

    /**
     * The forms schema/datasets.md accepts still import, each value as written: a CSV with a UTF-8 byte
     * order mark and semicolons (signs, trailing zeros, spaces around a number), JSON numbers (1e3 is
     * 1000, 80.0 a whole 80) and strings, Parquet's typed DATE and DOUBLE columns (2.25 is exact in binary).
     */
    @Test
    void documented_forms_still_import_as_written() {
        Path csv = write(directory, "spend.csv", "\uFEFFspend_id;spend_date;department_id;cost_type;amount;currency_code\n"
                + "sp30;2025-03-03;mkt;MEDIA;-12.30;USD\n"
                + "sp31;2025-03-04;mkt;MEDIA;+5;USD\n"
                + "sp32;2025-03-05;mkt;MEDIA; 7.100 ;USD\n");
        Path jsonLines = write(directory, "spend.jsonl", """
                {"spend_id": "sp33", "spend_date": "2025-03-06", "department_id": "mkt", "cost_type": "MEDIA", "amount": 1e3, "currency_code": "USD"}
                {"spend_id": "sp34", "spend_date": "2025-03-07", "department_id": "mkt", "cost_type": "MEDIA", "amount": "0.05", "currency_code": "USD"}
                """);
        Path scores = write(directory, "health.jsonl", """
                {"customer_id": "c1", "scored_on": "2025-03-01", "health_score": 80.0, "risk_band": "HEALTHY"}
                {"customer_id": "c1", "scored_on": "2025-03-02", "health_score": "70", "risk_band": "HEALTHY"}
                """);
        Path parquet = directory.resolve("spend.parquet");
        store.jdbi().useHandle(handle -> handle.execute("COPY (SELECT 'sp35' AS spend_id, DATE '2025-03-08' AS spend_date, 'mkt' AS department_id,"
                + " 'MEDIA' AS cost_type, CAST(2.25 AS DOUBLE) AS amount, 'USD' AS currency_code) TO '" + parquet + "' (FORMAT parquet)"));

        for (IngestResult result : List.of(importFile(service, "fact_spend", csv), importFile(service, "fact_spend", jsonLines),
                importFile(service, "fact_spend", parquet), importFile(service, "fact_health_score", scores))) {
            assertThat(result.status()).as(result.problems().toString()).isEqualTo(IngestStatus.COMMITTED);
        }
        assertThat(rows(store, "SELECT spend_id, spend_date::VARCHAR AS day, amount::VARCHAR AS amount FROM fact_spend WHERE spend_id >= 'sp30' ORDER BY spend_id"))
                .extracting(row -> row.get("spend_id"), row -> row.get("day"), row -> row.get("amount"))
                .containsExactly(
                        tuple("sp30", "2025-03-03", "-12.30"),
                        tuple("sp31", "2025-03-04", "5.00"),
                        tuple("sp32", "2025-03-05", "7.10"),
                        tuple("sp33", "2025-03-06", "1000.00"),
                        tuple("sp34", "2025-03-07", "0.05"),
                        tuple("sp35", "2025-03-08", "2.25"));
        assertThat(rows(store, "SELECT health_score FROM fact_health_score ORDER BY scored_on")).extracting(row -> ((Number) row.get("health_score")).intValue())
                .containsExactly(80, 70);
    }

    @Test
    void unknown_and_missing_columns_are_reported_by_name() {
        Path file = write(directory, "channels.csv", """
                channel_id,channel_nam,channel_group
                social,Social,PAID
                """);

        IngestResult result = importFile(service, "dim_channel", file);

        assertThat(result.problems())
                .extracting(IngestProblem::row, IngestProblem::column, IngestProblem::reason)
                .containsExactlyInAnyOrder(
                        tuple(null, "channel_nam", "unknown column; dim_channel has channel_id, channel_name, channel_group"),
                        tuple(null, "channel_name", "required column is missing from the file"));
    }

    @Test
    void a_check_over_two_columns_and_dates_of_a_dimension_are_checked() {
        Path file = write(directory, "campaigns.csv", """
                campaign_id,campaign_name,channel_id,department_id,product_id,objective,start_date,end_date
                c-ok,Fine,search,mkt,core,RETENTION,2025-01-01,2025-02-01
                c-back,Backwards,search,mkt,core,RETENTION,2025-03-01,2025-02-01
                c-day,Bad day,search,sales,,RETENTION,2025-13-01,2025-12-31
                """);

        IngestResult result = importFile(service, "dim_campaign", file);

        assertThat(result.problems())
                .extracting(IngestProblem::row, IngestProblem::column, IngestProblem::reason)
                .containsExactly(
                        tuple(2L, "end_date", "must satisfy end_date >= start_date"),
                        tuple(3L, "department_id", "unknown department_id: not in dim_department"),
                        tuple(3L, "start_date", "not a date (YYYY-MM-DD)"));
        assertThat(count(store, "SELECT count(*) FROM dim_campaign")).isEqualTo(2);
    }

    @Test
    void currencies_must_be_iso_4217_with_iso_minor_units() {
        Path file = write(directory, "currencies.csv", """
                currency_code,currency_name,minor_units
                GBP,Pound sterling,2
                JPY,Yen,2
                ABC,Not a currency,2
                """);

        IngestResult result = importFile(service, "dim_currency", file);

        assertThat(result.problems())
                .extracting(IngestProblem::row, IngestProblem::column, IngestProblem::reason)
                .containsExactly(
                        tuple(2L, "minor_units", "ISO 4217 gives JPY 0 minor units"),
                        tuple(3L, "currency_code", "not an ISO 4217 currency code"));
    }

    @Test
    void malformed_csv_lines_are_reported_with_their_line_and_later_rows_keep_their_numbers() {
        Path file = write(directory, "channels.csv", """
                channel_id,channel_name,channel_group
                a,A,PAID
                b,B
                c,C,PAID,extra
                d,D,WRONG
                """);

        IngestResult result = importFile(service, "dim_channel", file);

        assertThat(result.problems())
                .extracting(IngestProblem::row, IngestProblem::reason)
                .containsExactly(
                        tuple(2L, "line 3 of the file: missing columns (Expected Number of Columns: 3 Found: 2)"),
                        tuple(3L, "line 4 of the file: too many columns (Expected Number of Columns: 3 Found: 4)"),
                        tuple(4L, "must be one of PAID, OWNED, EARNED, SALES, PARTNER"));
    }

    /**
     * A file large enough for DuckDB to read in parallel (12 MB): its rows are numbered by position in
     * the stage, which holds the file's order only with {@code preserve_insertion_order} on. Without it
     * every problem below lands on another row.
     */
    @ParameterizedTest
    @ValueSource(strings = {"csv", "jsonl"})
    void rows_of_a_file_read_in_parallel_keep_their_place_in_the_file(String format) throws IOException {
        int rows = 300_000;
        Path file = directory.resolve("touches." + format);
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            if (format.equals("csv")) {
                out.write("touchpoint_id,journey_id,lead_id,channel_id,touched_at\n");
            }
            for (int row = 1; row <= rows; row++) {
                String id = row == 200_000 ? "p5" : "p" + row;
                String channel = row == 250_000 ? "fax" : "search";
                String at = row == 2 || row == 150_001 || row == rows ? "soon-" + row : "2025-01-01T00:00:00Z";
                out.write(format.equals("csv")
                        ? String.join(",", id, "j" + row, "l" + row, channel, at) + "\n"
                        : "{\"touchpoint_id\": \"%s\", \"journey_id\": \"j%d\", \"lead_id\": \"l%d\", \"channel_id\": \"%s\", \"touched_at\": \"%s\"}\n"
                                .formatted(id, row, row, channel, at));
            }
        }

        IngestResult result = importFile(service, "fact_touchpoint", file);

        String notATimestamp = "not a timestamp (ISO 8601, e.g. 2025-03-31T14:05:00Z; without an offset it is read as UTC)";
        assertThat(result.status()).isEqualTo(IngestStatus.REJECTED);
        assertThat(result.problems())
                .extracting(IngestProblem::row, IngestProblem::column, IngestProblem::value, IngestProblem::reason)
                .containsExactly(
                        tuple(2L, "touched_at", "soon-2", notATimestamp),
                        tuple(150_001L, "touched_at", "soon-150001", notATimestamp),
                        tuple(200_000L, "touchpoint_id", "p5", "duplicate key: the same key is on row 5"),
                        tuple(250_000L, "channel_id", "fax", "unknown channel_id: not in dim_channel"),
                        tuple(300_000L, "touched_at", "soon-300000", notATimestamp));
        assertThat(count(store, "SELECT count(*) FROM fact_touchpoint WHERE touchpoint_id LIKE 'p%'")).isZero();
    }

    @Test
    void json_lines_report_non_objects_and_bad_values_by_line() {
        Path file = write(directory, "health.jsonl", """
                {"customer_id": "c1", "scored_on": "2025-03-01", "health_score": 80, "risk_band": "HEALTHY"}
                ["c2", "2025-03-01", 40, "WATCH"]
                {"customer_id": "c2", "scored_on": "2025-03-01", "health_score": 140, "risk_band": "WATCH", "note": "x"}
                """);

        IngestResult result = importFile(service, "fact_health_score", file);

        assertThat(result.problems())
                .extracting(IngestProblem::row, IngestProblem::column, IngestProblem::reason)
                .containsExactly(
                        tuple(null, "note", "unknown column; fact_health_score has customer_id, scored_on, health_score, risk_band"),
                        tuple(2L, null, "not a JSON object"),
                        tuple(3L, "health_score", "must satisfy health_score BETWEEN 0 AND 100"));
    }

    @Test
    void a_json_line_that_does_not_parse_is_reported_as_its_row() throws java.io.IOException {
        String text = """
                {"customer_id": "c1", "scored_on": "2025-03-01", "health_score": 80, "risk_band": "HEALTHY"}

                {"customer_id": oops}
                {"customer_id": "c2", "scored_on": "2025-03-01", "health_score": 40, "risk_band": "WATCH"}
                """;
        // Line 3 (after a blank line 2) is the bad one; DuckDB alone said "line 4" and gave no row.
        Path plain = write(directory, "bad.jsonl", text);
        Path gzipped = directory.resolve("bad.jsonl.gz");
        try (var out = new java.util.zip.GZIPOutputStream(java.nio.file.Files.newOutputStream(gzipped))) {
            out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        for (Path file : List.of(plain, gzipped)) {
            IngestResult result = importFile(service, "fact_health_score", file);
            assertThat(result.status()).isEqualTo(IngestStatus.REJECTED);
            assertThat(result.problems()).as(file.getFileName().toString()).singleElement().satisfies(problem -> {
                assertThat(problem.row()).isEqualTo(3L);
                assertThat(problem.value()).isEqualTo("{\"customer_id\": oops}");
                assertThat(problem.reason()).startsWith("not JSON: ").contains("oops");
            });
        }
        assertThat(count(store, "SELECT count(*) FROM fact_health_score WHERE customer_id IN ('c1', 'c2') AND scored_on = DATE '2025-03-01'")).isZero();
    }

    @Test
    void a_file_that_is_not_what_it_claims_is_one_problem_of_the_whole_file() {
        Path file = write(directory, "rates.parquet", "this is not parquet");

        IngestResult result = importFile(service, "fact_fx_rate", file);

        assertThat(result.status()).isEqualTo(IngestStatus.REJECTED);
        assertThat(result.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.row()).isNull();
            assertThat(problem.reason()).startsWith("cannot read the file as PARQUET");
        });
    }

    @Test
    void the_first_hundred_problems_are_shown_with_the_total_count() {
        String rows = IntStream.rangeClosed(1, 250).mapToObj(i -> "ch" + i + ",Channel " + i + ",NOPE").collect(Collectors.joining("\n"));
        Path file = write(directory, "channels.csv", "channel_id,channel_name,channel_group\n" + rows + "\n");

        IngestResult result = importFile(service, "dim_channel", file);

        assertThat(result.problemCount()).isEqualTo(250);
        assertThat(result.problems()).hasSize(IngestResult.PROBLEMS_SHOWN);
        assertThat(result.problems().get(0).row()).isEqualTo(1L);
        assertThat(result.problems().get(99).row()).isEqualTo(100L);
        assertThat(count(store, "SELECT count(*) FROM dim_channel")).isEqualTo(2);
    }

    @Test
    void row_numbers_follow_the_file_across_many_chunks() {
        StringBuilder csv = new StringBuilder("touchpoint_id,journey_id,lead_id,channel_id,touched_at\n");
        for (int row = 1; row <= 300_000; row++) {
            csv.append("r").append(row).append(",j,l,").append(row == 271_828 ? "fax" : "email").append(",2025-03-01 10:00:00\n");
        }
        Path file = write(directory, "touches.csv", csv.toString());

        IngestResult result = importFile(service, "fact_touchpoint", file);

        assertThat(result.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.row()).isEqualTo(271_828L);
            assertThat(problem.value()).isEqualTo("fax");
        });
    }
}
