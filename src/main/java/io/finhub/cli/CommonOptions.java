package io.finhub.cli;

import io.finhub.store.DatabaseKey;
import io.finhub.store.StoreConfig;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options every subcommand shares; each can also come from the environment variable named in its help. */
public final class CommonOptions {
    @Option(names = "--db", paramLabel = "PATH", defaultValue = "${env:FINHUB_DB:-data/finhub.duckdb}",
            description = "DuckDB database file (env FINHUB_DB, default ${DEFAULT-VALUE}).")
    Path db;

    @Option(names = "--fiscal-start-month", paramLabel = "1-12", defaultValue = "${env:FINHUB_FISCAL_START_MONTH:-1}",
            description = "Month the fiscal year starts in; fiscal years are named after the year they end in (env FINHUB_FISCAL_START_MONTH, default ${DEFAULT-VALUE}).")
    int fiscalStartMonth;

    @Option(names = "--reporting-currency", paramLabel = "ISO4217", defaultValue = "${env:FINHUB_REPORTING_CURRENCY:-USD}",
            description = "Currency every money measure is reported in (env FINHUB_REPORTING_CURRENCY, default ${DEFAULT-VALUE}).")
    String reportingCurrency;

    @Option(names = "--memory-limit", paramLabel = "SIZE", defaultValue = "${env:FINHUB_MEMORY_LIMIT:-" + StoreConfig.DEFAULT_MEMORY_LIMIT + "}",
            description = "DuckDB memory limit (env FINHUB_MEMORY_LIMIT, default ${DEFAULT-VALUE}).")
    String memoryLimit;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "${env:FINHUB_THREADS:-0}",
            description = "DuckDB worker threads, 0 = one per core (env FINHUB_THREADS, default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--db-key-file", paramLabel = "FILE",
            description = "File whose first line is the key the database file is encrypted with; or set env FINHUB_DB_KEY (never on the command line, where ps shows it).")
    Path dbKeyFile;

    public StoreConfig storeConfig() {
        StoreConfig config = new StoreConfig(Optional.of(db), memoryLimit, threads, fiscalStartMonth, reportingCurrency);
        return Secrets.read(dbKeyFile, "FINHUB_DB_KEY").map(DatabaseKey::of).map(config::withKey).orElse(config);
    }
}
