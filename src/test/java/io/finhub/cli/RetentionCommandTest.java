package io.finhub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.store.Store;
import io.finhub.store.StoreConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code finhub retention} through the command line on a real database file, then {@code audit verify}. */
class RetentionCommandTest {
    @TempDir
    Path directory;

    @Test
    void set_dry_run_apply_and_verify_through_the_command_line() {
        Path db = directory.resolve("finhub.duckdb");
        try (Store store = Store.open(StoreConfig.file(db))) {
            store.write("test", List.of("fact_touchpoint"), handle -> handle.execute("""
                    INSERT INTO fact_touchpoint VALUES
                        ('tp-2000', 'j1', 'c1', NULL, 'search', NULL, TIMESTAMP '2000-01-01 00:00:00'),
                        ('tp-now', 'j1', 'c1', NULL, 'search', NULL, now()::TIMESTAMP)"""));
        }

        assertThat(run("retention", "set", "fact_touchpoint", "24", "--db", db.toString())).isZero();
        assertThat(run("retention", "apply", "--dry-run", "--db", db.toString())).isZero();
        assertThat(touchpoints(db)).containsExactlyInAnyOrder("tp-2000", "tp-now");
        assertThat(run("retention", "apply", "--db", db.toString())).isZero();
        assertThat(touchpoints(db)).containsExactly("tp-now");
        assertThat(run("audit", "verify", "--db", db.toString())).isZero();
    }

    @Test
    void a_bad_policy_is_refused_naming_it() {
        Path db = directory.resolve("finhub.duckdb");
        StringWriter errors = new StringWriter();
        CommandLine commandLine = FinhubCommand.commandLine();
        commandLine.setErr(new PrintWriter(errors));

        assertThat(commandLine.execute("retention", "set", "fact_nonsense", "12", "--db", db.toString())).isEqualTo(1);
        assertThat(errors.toString()).contains("fact_nonsense");
        assertThat(commandLine.execute("retention", "set", "fact_touchpoint", "0", "--db", db.toString())).isEqualTo(1);
        assertThat(errors.toString()).contains("fact_touchpoint").contains("was 0");
    }

    private static int run(String... args) {
        return FinhubCommand.commandLine().execute(args);
    }

    private static List<String> touchpoints(Path db) {
        try (Store store = Store.open(StoreConfig.file(db))) {
            return store.jdbi().withHandle(handle -> handle.createQuery("SELECT touchpoint_id FROM fact_touchpoint").mapTo(String.class).list());
        }
    }
}
