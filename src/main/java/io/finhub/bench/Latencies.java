package io.finhub.bench;

import java.util.Arrays;

/** Request latencies in nanoseconds and their nearest-rank percentiles, in milliseconds. */
record Latencies(long[] nanos) {
    Latencies {
        nanos = nanos.clone();
        Arrays.sort(nanos);
    }

    int count() {
        return nanos.length;
    }

    /** The nearest-rank percentile: the smallest latency at least {@code percent} % of requests did not exceed. */
    double percentileMillis(double percent) {
        if (nanos.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percent / 100.0 * nanos.length);
        return nanos[Math.max(0, Math.min(nanos.length, rank) - 1)] / 1e6;
    }

    double p50() {
        return percentileMillis(50);
    }

    double p95() {
        return percentileMillis(95);
    }

    double p99() {
        return percentileMillis(99);
    }

    double maxMillis() {
        return nanos.length == 0 ? Double.NaN : nanos[nanos.length - 1] / 1e6;
    }
}
