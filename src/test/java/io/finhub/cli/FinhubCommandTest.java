package io.finhub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FinhubCommandTest {
    @TempDir
    Path directory;

    @Test
    void help_lists_every_subcommand() {
        String help = run("--help").output();
        assertThat(help).contains("serve", "seed", "import", "bench");
    }

    @Test
    void serve_help_names_each_option_and_its_environment_variable() {
        String help = run("serve", "--help").output();
        assertThat(help).contains("--db", "FINHUB_DB", "--port", "FINHUB_PORT", "--host", "FINHUB_HOST", "--fiscal-start-month",
                "FINHUB_FISCAL_START_MONTH", "--reporting-currency", "FINHUB_REPORTING_CURRENCY", "--memory-limit", "seed-if-empty", "FINHUB_SEED_IF_EMPTY");
        // The server's DuckDB memory limit keeps it under 2 GB at the m scale (README, "Caching and performance").
        assertThat(help.replaceAll("\\s+", " ")).contains("DuckDB memory limit (env FINHUB_MEMORY_LIMIT, default 1GB)");
    }

    @Test
    void a_bad_scale_is_a_clear_error() {
        Result result = run("seed", "--scale", "xl", "--db", directory.resolve("x.duckdb").toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errors()).contains("xl");
    }

    record Result(int exitCode, String output, String errors) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = FinhubCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }
}
