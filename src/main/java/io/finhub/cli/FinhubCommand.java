package io.finhub.cli;

import io.finhub.bench.BenchCommand;
import io.finhub.error.FinhubException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** The {@code finhub} command line: serve, seed, import, bench, token, audit, retention. */
@Command(name = "finhub", mixinStandardHelpOptions = true, version = "FinHub 0.1.0",
        description = "Finance integration hub: a GraphQL analytics API over an embedded DuckDB store.",
        subcommands = {ServeCommand.class, SeedCommand.class})
public final class FinhubCommand implements Runnable {
    @CommandLine.Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new FinhubCommand());
        commandLine.addSubcommand("import", new ImportCommand());
        commandLine.addSubcommand("bench", new BenchCommand());
        commandLine.addSubcommand("token", new TokenCommand());
        commandLine.addSubcommand("audit", new AuditCommand());
        commandLine.addSubcommand("retention", new RetentionCommand());
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            if (exception instanceof FinhubException finhub) {
                line.getErr().println("finhub: " + finhub.getMessage() + " [" + finhub.code() + "]");
                return 1;
            }
            if (exception instanceof IllegalArgumentException) {
                line.getErr().println("finhub: " + exception.getMessage());
                return 2;
            }
            throw exception;
        });
        return commandLine;
    }
}
