package io.finhub.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Requests per minute per token (Bucket4j token buckets, refilled greedily, so a token that waited
 * gets its allowance back gradually). Buckets of tokens unused for an hour are forgotten.
 */
public final class RateLimits {
    private final long perMinute;
    private final TimeMeter time;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().expireAfterAccess(Duration.ofHours(1)).maximumSize(100_000).build();

    public RateLimits(long perMinute) {
        this(perMinute, TimeMeter.SYSTEM_NANOTIME);
    }

    RateLimits(long perMinute, TimeMeter time) {
        this.perMinute = perMinute;
        this.time = time;
    }

    /** Takes one request from {@code key}'s allowance: empty when allowed, else the whole seconds to wait (at least 1). */
    public OptionalLong tryAcquire(String key) {
        if (perMinute == 0) {
            return OptionalLong.empty();
        }
        Bucket bucket = buckets.get(key, ignored -> Bucket.builder()
                .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
                .withCustomTimePrecision(time)
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return OptionalLong.empty();
        }
        long nanos = probe.getNanosToWaitForRefill();
        return OptionalLong.of(Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
    }
}
