package io.finhub.bench;

import io.finhub.bench.BenchRunner.ColdResult;
import io.finhub.bench.BenchRunner.ScaleResult;
import io.finhub.bench.BenchRunner.WarmResult;
import java.util.List;
import java.util.Locale;

/** The benchmark's results as Markdown tables, the form the README quotes. */
final class BenchReport {
    private BenchReport() {}

    static String markdown(List<ScaleResult> results, String machine, BenchRunner.Options options) {
        StringBuilder text = new StringBuilder();
        text.append("Machine: ").append(machine).append('\n');
        text.append(String.format(Locale.ROOT, "Cold: %d runs per query, each with the result cache emptied, after %d unmeasured rounds of the same.%n",
                options.coldRuns(), options.warmupRounds()));
        text.append(options.gzip() ? "Every request with Accept-Encoding: gzip (as browsers and BI connectors send it); times to the last byte, before decompressing.\n"
                : "Every request asking for plain answers (Accept-Encoding: identity).\n");
        for (ScaleResult result : results) {
            scale(text, result);
        }
        return text.toString();
    }

    private static void scale(StringBuilder text, ScaleResult result) {
        text.append(String.format(Locale.ROOT, "%n### Scale %s: %,d touchpoints%n%n", result.scale(), result.touchpoints()));
        text.append(String.format(Locale.ROOT,
                "Load average before / after: %s / %s. Resident memory of the process (server, clients, and the preparing server's "
                        + "derived-table builds): %,d MB at the end, %,d MB at its peak; JVM heap in use at the end: %,d MB; DuckDB memory in use: %,d MB.%n%n",
                result.loadBefore(), result.loadAfter(), result.rssBytes() >> 20, result.peakRssBytes() >> 20, result.heapUsedBytes() >> 20,
                result.duckdbMemoryBytes() >> 20));
        text.append("| query | area | first ms (answered from) | cold p50 ms | cold p95 ms | cold p99 ms | SQL statements | raw DuckDB p50 ms | cold / raw |\n");
        text.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ColdResult cold : result.cold()) {
            text.append(String.format(Locale.ROOT, "| %s | %s | %.1f (%s) | %.1f | %.1f | %.1f | %d | %.1f | %.2f |%s%n", cold.query().name(),
                    cold.query().area(), cold.firstMillis(), cold.firstSource(), cold.cold().p50(), cold.cold().p95(), cold.cold().p99(), cold.statements(), cold.raw().p50(), cold.overhead(),
                    cold.problem().map(problem -> " " + problem).orElse("")));
        }
        text.append("\n| query | clients | warm p50 ms | warm p95 ms | warm p99 ms | requests/s |\n|---|---:|---:|---:|---:|---:|\n");
        for (WarmResult warm : result.warm()) {
            text.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %.0f |%s%n", warm.query().name(), warm.clients(), warm.latencies().p50(),
                    warm.latencies().p95(), warm.latencies().p99(), warm.requestsPerSecond(),
                    warm.notFromCache() + warm.failures() == 0 ? "" : " " + warm.notFromCache() + " not from cache, " + warm.failures() + " failed"));
        }
        result.afterChange().ifPresent(change -> text.append(String.format(Locale.ROOT,
                "%nAfter a change (one spend line, on a copy of the dataset, with the warm-up of `serve`): %d of the %d answers cached again "
                        + "%.0f ms after the commit; asked again, %d came from the cache, all %d in %.0f ms.%n",
                change.warmed(), change.asked(), change.warmedAfterMillis(), change.hits(), change.asked(), change.answeredMillis())));
        summary(text, result);
    }

    private static void summary(StringBuilder text, ScaleResult result) {
        double worstColdP50 = result.cold().stream().mapToDouble(cold -> cold.cold().p50()).max().orElse(Double.NaN);
        double worstCold = result.cold().stream().mapToDouble(cold -> cold.cold().maxMillis()).max().orElse(Double.NaN);
        double worstOverhead = result.cold().stream().mapToDouble(ColdResult::overhead).max().orElse(Double.NaN);
        double medianOverhead = result.cold().stream().mapToDouble(ColdResult::overhead).sorted().skip(result.cold().size() / 2).findFirst().orElse(Double.NaN);
        int maxClients = result.warm().stream().mapToInt(WarmResult::clients).max().orElse(0);
        double worstWarmP99Single = result.warm().stream().filter(warm -> warm.clients() == 1).mapToDouble(warm -> warm.latencies().p99()).max().orElse(Double.NaN);
        double lowestThroughput = result.warm().stream().filter(warm -> warm.clients() == maxClients).mapToDouble(WarmResult::requestsPerSecond).min()
                .orElse(Double.NaN);
        text.append(String.format(Locale.ROOT, "%nSummary: worst cold p50 %.1f ms, slowest cold run %.1f ms, cold / raw median %.2f and worst %.2f, "
                        + "worst warm p99 with 1 client %.3f ms, lowest warm throughput with %d clients %.0f requests/s.%n",
                worstColdP50, worstCold, medianOverhead, worstOverhead, worstWarmP99Single, maxClients, lowestThroughput));
    }
}
