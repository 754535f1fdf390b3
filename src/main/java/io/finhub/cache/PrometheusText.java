package io.finhub.cache;

import java.util.Locale;
import java.util.Map;

/**
 * The numeric leaves of a metrics map in the Prometheus text exposition format: nested names joined
 * with underscores under {@code finhub_}, every value a gauge ({@code resultCache.hits} becomes
 * {@code finhub_result_cache_hits}).
 */
public final class PrometheusText {
    private PrometheusText() {}

    public static String format(Map<String, Object> metrics) {
        StringBuilder text = new StringBuilder();
        append(text, "finhub", metrics);
        return text.toString();
    }

    private static void append(StringBuilder text, String prefix, Map<?, ?> metrics) {
        for (Map.Entry<?, ?> entry : metrics.entrySet()) {
            String name = prefix + "_" + snakeCase(String.valueOf(entry.getKey()));
            if (entry.getValue() instanceof Map<?, ?> nested) {
                append(text, name, nested);
            }
            else if (entry.getValue() instanceof Number number) {
                text.append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ').append(number).append('\n');
            }
            else if (entry.getValue() instanceof Boolean flag) {
                text.append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ').append(flag ? 1 : 0).append('\n');
            }
        }
    }

    private static String snakeCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replaceAll("[^A-Za-z0-9_]", "_").toLowerCase(Locale.ROOT);
    }
}
