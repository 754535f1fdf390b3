package io.finhub.ingest;

import static io.finhub.ingest.IngestFixtures.count;
import static io.finhub.ingest.IngestFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.TestStores;
import io.finhub.cli.FinhubCommand;
import io.finhub.store.Store;
import io.finhub.store.StoreConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code finhub import} on the command line: locally, and against a database a running server holds. */
class IngestCommandTest {
    private static final String CHANNELS = "channel_id,channel_name,channel_group\nsocial,Social,PAID\nevents,Events,OWNED\n";
    private static final String SPEND = "spend_id,spend_date,department_id,cost_type,amount,currency_code\nsp30,2025-03-05,mkt,MEDIA,12.34,USD\n";

    @TempDir
    Path directory;

    private Path database;

    @BeforeEach
    void database() {
        database = directory.resolve("finhub.duckdb");
        TestStores.withFixture("tiny_company", StoreConfig.file(database)).close();
    }

    @Test
    void a_local_import_reports_what_it_wrote() {
        Path file = write(directory, "channels.csv", CHANNELS);

        Result result = run("import", "dim_channel", file.toString(), "--db", database.toString(), "--no-progress");

        assertThat(result.exitCode()).isZero();
        assertThat(result.errors()).contains("Imported 2 rows into dim_channel (upsert: 2 inserted, 0 updated, 0 deleted)");
        try (Store store = Store.open(StoreConfig.file(database))) {
            assertThat(count(store, "SELECT count(*) FROM dim_channel")).isEqualTo(4);
        }
    }

    @Test
    void a_rejected_file_lists_its_problems_and_exits_with_1() {
        Path file = write(directory, "channels.csv", "channel_id,channel_name,channel_group\nsocial,Social,VIRAL\n");

        Result result = run("import", "dim_channel", file.toString(), "--db", database.toString(), "--no-progress");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errors()).contains("1 problem; nothing was written")
                .contains("dim_channel row 1, channel_group 'VIRAL': must be one of PAID, OWNED, EARNED, SALES, PARTNER");
    }

    @Test
    void a_singer_stream_prints_its_last_state_on_standard_output() {
        Path stream = Path.of("src/test/resources/singer/hubspot.jsonl").toAbsolutePath();

        Result result = run("import", "--singer", "--preset", "hubspot", "--param", "product_id=core", stream.toString(), "--db", database.toString(),
                "--no-progress");

        assertThat(result.exitCode()).isZero();
        assertThat(result.output().strip()).isEqualTo("{\"type\": \"STATE\", \"value\": {\"bookmarks\":{\"deals\":{\"updatedAt\":\"2025-03-03T11:05:00.000Z\"}},"
                + "\"currently_syncing\":null}}");
    }

    @Test
    void while_a_server_holds_the_database_the_cli_says_so_or_sends_the_file_to_it() throws Exception {
        Path file = write(directory, "channels.csv", CHANNELS);
        try (FinhubProcess server = FinhubProcess.start(directory, "serve", "--db", database.toString(), "--port", "0", "--no-seed-if-empty")) {
            String serving = server.awaitLine(line -> line.contains("GraphQL") && line.contains("http://"), Duration.ofMinutes(2));
            Matcher url = Pattern.compile("(http://[^/\\s]+)").matcher(serving);
            assertThat(url.find()).isTrue();
            String token = server.awaitLine(line -> line.trim().startsWith("fhdev_"), Duration.ofMinutes(1)).trim();

            Result refused = run("import", "dim_channel", file.toString(), "--db", database.toString(), "--no-progress");
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.errors()).contains("is in use by another FinHub process").contains("--server URL").contains("[DATABASE_IN_USE]")
                    .doesNotContain("IO Error").doesNotContain("lock");

            Result anonymous = run("import", "dim_channel", file.toString(), "--server", url.group(1));
            assertThat(anonymous.exitCode()).isEqualTo(1);
            assertThat(anonymous.errors()).contains("401");

            Result sent = run("import", "dim_channel", file.toString(), "--server", url.group(1), "--token", token);
            assertThat(sent.exitCode()).as(sent.errors()).isZero();
            assertThat(sent.errors()).contains("COMMITTED, 2 rows");

            Result resent = run("import", "dim_channel", file.toString(), "--server", url.group(1), "--token", token);
            assertThat(resent.errors()).contains("ALREADY_IMPORTED");

            Result gzipped = run("import", "fact_spend", gzip(write(directory, "spend.csv", SPEND)).toString(), "--server", url.group(1), "--token", token);
            assertThat(gzipped.exitCode()).as(gzipped.errors()).isZero();
            assertThat(gzipped.errors()).contains("COMMITTED, 1 rows");
        }
        try (Store store = Store.open(StoreConfig.file(database))) {
            assertThat(count(store, "SELECT count(*) FROM dim_channel")).isEqualTo(4);
            assertThat(count(store, "SELECT count(*) FROM fact_spend WHERE spend_id = 'sp30' AND amount = 12.34")).isEqualTo(1);
            assertThat(count(store, "SELECT count(*) FROM finhub_ingest_batch WHERE actor LIKE 'dev via http:%'")).isEqualTo(2);
            assertThat(count(store, "SELECT count(*) FROM audit_log WHERE action = 'import' AND actor LIKE 'dev via http:%'")).isEqualTo(2);
        }
    }

    record Result(int exitCode, String output, String errors) {}

    /** {@code file}.gz beside it, as gzip writes it. */
    private static Path gzip(Path file) throws IOException {
        Path compressed = file.resolveSibling(file.getFileName() + ".gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(compressed))) {
            Files.copy(file, out);
        }
        return compressed;
    }

    private static Result run(String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = FinhubCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(arguments);
        return new Result(exitCode, out.toString(), err.toString());
    }
}
