package io.finhub;

import io.finhub.cli.FinhubCommand;

/** Entry point of {@code target/finhub.jar}. */
public final class App {
    private App() {}

    public static void main(String[] args) {
        int exitCode = FinhubCommand.commandLine().execute(args);
        if (exitCode != 0 || args.length == 0 || !args[0].equals("serve")) {
            System.exit(exitCode);
        }
    }
}
