package io.finhub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.ingest.IngestFormat;
import io.finhub.ingest.IngestMode;
import io.finhub.ingest.IngestProblem;
import io.finhub.ingest.IngestProgress;
import io.finhub.ingest.IngestRequest;
import io.finhub.ingest.IngestResult;
import io.finhub.ingest.IngestResult.DatasetResult;
import io.finhub.ingest.IngestService;
import io.finhub.ingest.IngestStatus;
import io.finhub.ingest.Partition;
import io.finhub.ingest.SingerPreset;
import io.finhub.ingest.SingerRequest;
import io.finhub.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Load a CSV, JSON-lines or Parquet file into a dataset, or a Singer stream (--singer) into the datasets a preset maps it to.",
            "Every row is checked first; a batch with any problem writes nothing and lists the problems. One transaction per batch; "
                    + "retrying the same file changes nothing. Datasets and their columns: schema/datasets.md.",
            "While a server holds the database, send the file to it with --server URL.",
            "Examples:",
            "  finhub import fact_spend spend-2025-03.csv",
            "  finhub import fact_gl_actual gl-march.parquet --mode replace --partition entity_id=US01 --partition posting_date=2025-03",
            "  tap-salesforce --config sf.json --catalog catalog.json | finhub import --singer --preset salesforce --param product_id=core",
            "  finhub import fact_touchpoint events.csv --server http://127.0.0.1:8080"})
final class ImportCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    CommonOptions common;

    @Parameters(arity = "0..2", paramLabel = "DATASET FILE",
            description = "The dataset (e.g. fact_spend) and the file; with --singer only the file, or none (or -) for standard input.")
    List<String> arguments = new ArrayList<>();

    @Option(names = "--server", paramLabel = "URL", description = "Send the file to a running FinHub server instead of opening the database.")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:FINHUB_TOKEN}",
            description = "With --server: the bearer token (scope financial_data.write; the development token `serve` prints works from this machine) (env FINHUB_TOKEN).")
    String token;

    @Option(names = "--mode", paramLabel = "MODE", description = "append, upsert or replace (default: upsert for dimensions, append for facts).")
    String mode;

    @Option(names = "--partition", paramLabel = "COLUMN=VALUE", description = "With --mode replace: the partition replaced, e.g. posting_date=2025-03 (repeatable).")
    List<String> partitions = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", description = "csv, jsonl or parquet (default: from the file name).")
    String format;

    @Option(names = "--idempotency-key", paramLabel = "KEY", description = "Makes a retry a no-op (default: the file's SHA-256 with dataset and mode).")
    String idempotencyKey;

    @Option(names = "--singer", description = "Read Singer SCHEMA/RECORD/STATE messages; the last STATE is printed on standard output after the commit.")
    boolean singer;

    @Option(names = "--preset", paramLabel = "NAME", description = "Singer mapping preset: salesforce, hubspot, quickbooks, netsuite.")
    String preset;

    @Option(names = "--preset-file", paramLabel = "PATH", description = "A Singer mapping preset of your own (JSON, same shape as the shipped ones).")
    Path presetFile;

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "A value the Singer preset asks for, e.g. entity_id=US (repeatable).")
    List<String> parameters = new ArrayList<>();

    @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Show progress on standard error (default: ${DEFAULT-VALUE}).")
    boolean progress;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (singer) {
            return singer();
        }
        if (arguments.size() != 2) {
            throw new IllegalArgumentException("give the dataset and the file, e.g. finhub import fact_spend spend.csv (or --singer)");
        }
        Path file = Path.of(arguments.get(1));
        if (server != null) {
            return sendFile(arguments.get(0), file);
        }
        IngestRequest request = new IngestRequest(arguments.get(0), file, Optional.ofNullable(format).map(IngestFormat::parse),
                Optional.ofNullable(mode).map(IngestMode::parse), partitions.stream().map(Partition::parse).toList(), Optional.ofNullable(idempotencyKey),
                Optional.empty(), actor(), file.toAbsolutePath().toString());
        return withService((service, listener) -> report(service.importFile(request, listener), file.toString()));
    }

    private int singer() throws IOException, InterruptedException {
        if (arguments.size() > 1) {
            throw new IllegalArgumentException("with --singer give at most the stream file; the preset names the datasets");
        }
        SingerPreset mapping = presetFile != null ? SingerPreset.fromFile(presetFile)
                : SingerPreset.named(Optional.ofNullable(preset).orElseThrow(() -> new IllegalArgumentException(
                        "--singer needs --preset NAME (" + String.join(", ", SingerPreset.names()) + ") or --preset-file PATH")));
        boolean stdin = arguments.isEmpty() || arguments.get(0).equals("-");
        if (server != null) {
            return sendSinger(mapping, stdin ? null : Path.of(arguments.get(0)));
        }
        try (InputStream in = stdin ? System.in : Files.newInputStream(Path.of(arguments.get(0)))) {
            SingerRequest request = new SingerRequest(mapping, parameterMap(), in, Optional.ofNullable(idempotencyKey), actor(),
                    "singer:" + mapping.name() + ":" + (stdin ? "stdin" : Path.of(arguments.get(0)).toAbsolutePath()));
            return withService((service, listener) -> {
                IngestResult result = service.importSinger(request, listener);
                int exitCode = report(result, stdin ? "standard input" : arguments.get(0));
                if (result.status() != IngestStatus.REJECTED) {
                    result.singerState().ifPresent(state -> out().println("{\"type\": \"STATE\", \"value\": " + state + "}"));
                }
                return exitCode;
            });
        }
    }

    private interface ServiceWork {
        int run(IngestService service, IngestProgress progress);
    }

    private int withService(ServiceWork work) {
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "finhub-import-progress");
            thread.setDaemon(true);
            return thread;
        });
        try (Store store = Store.open(common.storeConfig())) {
            IngestService service = new IngestService(store, Clock.systemUTC(), Optional.of(poller));
            return work.run(service, progress ? new ConsoleProgress(err()) : IngestProgress.NONE);
        }
        finally {
            poller.shutdownNow();
        }
    }

    private Map<String, String> parameterMap() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String parameter : parameters) {
            Partition pair = Partition.parse(parameter);
            values.put(pair.column(), pair.value());
        }
        return values;
    }

    private static String actor() {
        return "cli:" + System.getProperty("user.name", "unknown");
    }

    private int report(IngestResult result, String source) {
        return switch (result.status()) {
            case COMMITTED -> {
                for (DatasetResult dataset : result.datasets()) {
                    err().printf("Imported %,d rows into %s (%s%s: %,d inserted, %,d updated, %,d deleted)%n", dataset.rowsRead(), dataset.dataset(),
                            dataset.mode().name().toLowerCase(Locale.ROOT), dataset.partition().isEmpty() ? "" : " " + dataset.partition(),
                            dataset.inserted(), dataset.updated(), dataset.deleted());
                }
                err().printf("Committed batch %s from %s: data version %d, checksum %s%n", result.batchId().orElseThrow(), source,
                        result.dataVersion().orElseThrow(), result.checksum());
                yield 0;
            }
            case ALREADY_IMPORTED -> {
                err().printf("Already imported: batch %s committed %s (data version %d) with idempotency key %s; nothing changed.%n",
                        result.batchId().orElseThrow(), result.committedAt().orElseThrow(), result.dataVersion().orElseThrow(), result.idempotencyKey());
                yield 0;
            }
            case NOTHING_TO_IMPORT -> {
                err().println("Nothing to import: " + source + " holds no rows; nothing changed.");
                yield 0;
            }
            case REJECTED -> {
                printProblems(source, result.problems().stream().map(IngestProblem::describe).toList(), result.problemCount());
                yield 1;
            }
        };
    }

    private void printProblems(String source, List<String> problems, long total) {
        err().printf("Rejected %s: %,d problem%s; nothing was written.%n", source, total, total == 1 ? "" : "s");
        problems.forEach(problem -> err().println("  " + problem));
        if (total > problems.size()) {
            err().printf("  ... and %,d more (the first %d are shown)%n", total - problems.size(), problems.size());
        }
    }

    // Sending to a running server -------------------------------------------------------------

    private int sendFile(String dataset, Path file) throws IOException, InterruptedException {
        IngestFormat fileFormat = Optional.ofNullable(format).map(IngestFormat::parse)
                .or(() -> IngestFormat.fromFileName(file.getFileName().toString()))
                .orElseThrow(() -> new IllegalArgumentException("cannot tell the format of " + file + ": give --format csv|jsonl|parquet"));
        StringBuilder query = new StringBuilder("format=" + fileFormat.name().toLowerCase(Locale.ROOT) + "&filename=" + encode(file.getFileName().toString()));
        if (mode != null) {
            query.append("&mode=").append(encode(mode));
        }
        partitions.forEach(partition -> query.append("&partition=").append(encode(partition)));
        return send("/import/" + encode(dataset) + "?" + query, HttpRequest.BodyPublishers.ofFile(file), file.toString());
    }

    private int sendSinger(SingerPreset mapping, Path file) throws IOException, InterruptedException {
        StringBuilder query = new StringBuilder();
        parameters.forEach(parameter -> query.append(query.length() == 0 ? "?" : "&").append("param=").append(encode(parameter)));
        HttpRequest.BodyPublisher body = file == null ? HttpRequest.BodyPublishers.ofInputStream(() -> System.in) : HttpRequest.BodyPublishers.ofFile(file);
        return send("/import/singer/" + encode(mapping.name()) + query, body, file == null ? "standard input" : file.toString());
    }

    private int send(String path, HttpRequest.BodyPublisher body, String source) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.replaceAll("/+$", "") + path))
                .header("Content-Type", "application/octet-stream")
                .POST(body);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response;
        try {
            response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException e) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "cannot reach the FinHub server at " + server + ": " + e.getMessage());
        }
        JsonNode answer = JSON.readTree(response.body());
        JsonNode error = answer.path("error");
        if (response.statusCode() == 422) {
            List<String> problems = new ArrayList<>();
            error.path("problems").forEach(problem -> problems.add(new IngestProblem(problem.path("dataset").asText(),
                    problem.path("row").isNumber() ? problem.path("row").asLong() : null, text(problem, "column"), text(problem, "value"),
                    problem.path("reason").asText()).describe()));
            printProblems(source, problems, error.path("problemCount").asLong());
            return 1;
        }
        if (response.statusCode() != 200) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "the server at %s refused the import (%d %s): %s".formatted(server, response.statusCode(),
                    error.path("code").asText(), error.path("message").asText(response.body())));
        }
        err().printf("Server %s: %s, %,d rows, data version %s, batch %s%n", server, answer.path("status").asText(), answer.path("rowCount").asLong(),
                answer.path("dataVersion").asText("-"), answer.path("batchId").asText("-"));
        if (singer && answer.hasNonNull("singerState")) {
            out().println("{\"type\": \"STATE\", \"value\": " + answer.get("singerState").asText() + "}");
        }
        return 0;
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Phases as lines; DuckDB's percentage on one line that redraws on a terminal, every 10% otherwise. */
    private static final class ConsoleProgress implements IngestProgress {
        private final PrintWriter err;
        private final boolean terminal = System.console() != null;
        private int lastTenth = -1;

        ConsoleProgress(PrintWriter err) {
            this.err = err;
        }

        @Override
        public synchronized void phase(String dataset, Phase phase) {
            if (terminal && lastTenth >= 0) {
                err.println();
            }
            lastTenth = -1;
            err.println("finhub import: " + dataset + ": " + phase.name().toLowerCase(Locale.ROOT));
            err.flush();
        }

        @Override
        public synchronized void percent(String dataset, Phase phase, double percent) {
            int tenth = (int) (percent / 10);
            if (terminal) {
                err.printf("\r  %s %s: %5.1f%%", phase.name().toLowerCase(Locale.ROOT), dataset, percent);
                lastTenth = tenth;
            }
            else if (tenth > lastTenth) {
                err.printf("  %s %s: %d%%%n", phase.name().toLowerCase(Locale.ROOT), dataset, tenth * 10);
                lastTenth = tenth;
            }
            err.flush();
        }
    }
}
