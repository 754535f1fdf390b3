package io.finhub.odata;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.finhub.FinhubServer;
import io.finhub.store.Store;
import io.finhub.store.StoreConfig;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Streams a large fact set through the feed's server-driven paging, as a BI tool's refresh does, and
 * reports rows per second and peak memory. Not a unit test: run it on a quiet machine (check
 * {@code uptime}) with a small heap, so a memory leak would fail it.
 *
 * <pre>
 * mvn -q -B test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath
 * java -Xmx512m -cp "target/test-classes:target/classes:$(cat target/test.classpath)" io.finhub.odata.ODataStreamBenchmark \
 *     [rows=1000000] [pageSize=10000] [runs=3]
 * </pre>
 *
 * It loads {@code rows} touchpoints into an in-memory store, starts the real server, and reads
 * {@code /odata/Touchpoints} page after page, following {@code @odata.nextLink} with a streaming
 * JSON parser (so the client holds one row at a time) and checking every row arrives once, in key order.
 */
public final class ODataStreamBenchmark {
    private ODataStreamBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int pageSize = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Store store = Store.open(StoreConfig.inMemory());
        long loadStart = System.nanoTime();
        store.write("benchmark", List.of("fact_touchpoint"), handle -> handle.createUpdate("""
                INSERT INTO fact_touchpoint
                SELECT 'TP-' || lpad(CAST(i AS VARCHAR), 9, '0'), 'J-' || (i // 5), NULL, 'L-' || (i // 5),
                       ['paid_search', 'email', 'webinar', 'events', 'paid_social'][1 + i % 5],
                       CASE WHEN i % 7 = 0 THEN NULL ELSE 'CMP-' || (i % 40) END,
                       TIMESTAMP '2023-01-01 00:00:00' + to_seconds(i * 60)
                FROM range(:rows) t(i)""").bind("rows", rows).execute());
        System.out.printf(Locale.ROOT, "loaded %,d touchpoints in %.1f s%n", rows, seconds(loadStart));
        try (FinhubServer server = FinhubServer.start(store, "127.0.0.1", 0)) {
            HttpClient client = HttpClient.newHttpClient();
            String root = "http://127.0.0.1:" + server.port() + "/odata";
            // Let the start-up work (attribution over the new touchpoints) finish before measuring.
            send(client, URI.create(root + "/AttributionByChannelModelMonth?$top=1"), pageSize).body().readAllBytes();
            stream(client, URI.create(root + "/Touchpoints?$top=" + Math.min(rows, 5 * pageSize)), pageSize);
            for (int run = 1; run <= runs; run++) {
                System.gc();
                resetPeaks();
                long start = System.nanoTime();
                long cpuStart = processCpuNanos();
                long[] pages = {0};
                long read = stream(client, URI.create(root + "/Touchpoints"), pageSize, pages);
                double elapsed = seconds(start);
                double cpu = (processCpuNanos() - cpuStart) / 1e9;
                if (read != rows) {
                    throw new IllegalStateException("read " + read + " rows of " + rows);
                }
                System.out.printf(Locale.ROOT, "run %d: %,d rows in %,d pages of %,d in %.2f s = %,.0f rows/s; process CPU %.1f s (%,.0f rows per CPU-second, "
                        + "server and client together); peak heap %,d MB (max %,d MB), peak RSS %s; load average %.1f%n",
                        run, read, pages[0], pageSize, elapsed, read / elapsed, cpu, read / cpu, peakHeap() >> 20, Runtime.getRuntime().maxMemory() >> 20,
                        peakRss(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            }
        }
    }

    private static long stream(HttpClient client, URI first, int pageSize) throws IOException, InterruptedException {
        return stream(client, first, pageSize, new long[1]);
    }

    /** Reads every page from {@code first} on; returns the number of rows and checks their keys ascend. */
    private static long stream(HttpClient client, URI first, int pageSize, long[] pages) throws IOException, InterruptedException {
        JsonFactory json = new JsonFactory();
        long rows = 0;
        String lastKey = "";
        URI next = first;
        while (next != null) {
            HttpResponse<InputStream> response = send(client, next, pageSize);
            if (response.statusCode() != 200) {
                throw new IllegalStateException(next + " answered " + response.statusCode() + ": " + new String(response.body().readAllBytes()));
            }
            next = null;
            pages[0]++;
            try (JsonParser parser = json.createParser(response.body())) {
                while (parser.nextToken() != null) {
                    if (parser.currentToken() == JsonToken.FIELD_NAME && parser.getParsingContext().getParent().inRoot()
                            && "@odata.nextLink".equals(parser.currentName())) {
                        next = URI.create(parser.nextTextValue());
                    }
                    else if (parser.currentToken() == JsonToken.FIELD_NAME && "TouchpointId".equals(parser.currentName())) {
                        String key = parser.nextTextValue();
                        if (key.compareTo(lastKey) <= 0) {
                            throw new IllegalStateException("row " + key + " after " + lastKey);
                        }
                        lastKey = key;
                        rows++;
                    }
                }
            }
        }
        return rows;
    }

    private static HttpResponse<InputStream> send(HttpClient client, URI uri, int pageSize) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).header("Prefer", "odata.maxpagesize=" + pageSize).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void resetPeaks() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed())
                .sum();
    }

    /** The process's peak resident memory (Java heap, DuckDB's native memory, everything), from Linux's /proc. */
    private static String peakRss() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return "n/a";
        }
        return Files.readAllLines(status).stream().filter(line -> line.startsWith("VmHWM:")).map(line -> line.substring(6).trim()).findFirst()
                .orElse("n/a");
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
