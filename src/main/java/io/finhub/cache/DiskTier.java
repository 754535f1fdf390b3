package io.finhub.cache;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ehcache.Cache;
import org.ehcache.PersistentCacheManager;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.config.units.EntryUnit;
import org.ehcache.config.units.MemoryUnit;
import org.ehcache.core.internal.statistics.DefaultStatisticsService;
import org.ehcache.core.statistics.CacheStatistics;
import org.ehcache.core.statistics.TierStatistics;

/**
 * Serialized answers of expensive model reports, persisted by Ehcache in a directory beside the
 * DuckDB file, so a restart on the same data version answers them without recomputing. Keys are
 * {@link ResultKey#digest()}s, which start with the data version: entries of older versions are
 * dropped after a change and could never be hit anyway.
 */
final class DiskTier implements AutoCloseable {
    private static final String CACHE = "model-results";
    private final PersistentCacheManager manager;
    private final Cache<String, byte[]> cache;
    private final DefaultStatisticsService statistics = new DefaultStatisticsService();
    private final Path directory;
    private final long maxBytes;

    DiskTier(Path directory, long maxBytes) {
        this.directory = requireNonNull(directory, "directory is null");
        this.maxBytes = maxBytes;
        this.manager = CacheManagerBuilder.newCacheManagerBuilder()
                .using(statistics)
                .with(CacheManagerBuilder.persistence(directory.toFile()))
                .withCache(CACHE, CacheConfigurationBuilder.newCacheConfigurationBuilder(String.class, byte[].class,
                        ResourcePoolsBuilder.newResourcePoolsBuilder()
                                .heap(16, EntryUnit.ENTRIES)
                                .disk(Math.max(1, maxBytes >> 20), MemoryUnit.MB, true)))
                .build(true);
        this.cache = manager.getCache(CACHE, String.class, byte[].class);
    }

    Optional<byte[]> get(ResultKey key) {
        return Optional.ofNullable(cache.get(key.digest()));
    }

    void put(ResultKey key, byte[] body) {
        cache.put(key.digest(), body);
    }

    /** Drops the answers of every data version before {@code version}. */
    void dropBefore(long version) {
        List<String> stale = new ArrayList<>();
        for (Cache.Entry<String, byte[]> entry : cache) {
            if (ResultKey.dataVersionOf(entry.getKey()) < version) {
                stale.add(entry.getKey());
            }
        }
        stale.forEach(cache::remove);
    }

    void clear() {
        cache.clear();
    }

    Map<String, Object> metrics() {
        CacheStatistics cacheStatistics = statistics.getCacheStatistics(CACHE);
        TierStatistics disk = cacheStatistics.getTierStatistics().get("Disk");
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("directory", directory.toString());
        metrics.put("hits", cacheStatistics.getCacheHits());
        metrics.put("misses", cacheStatistics.getCacheMisses());
        metrics.put("puts", cacheStatistics.getCachePuts());
        metrics.put("evictions", cacheStatistics.getCacheEvictions());
        metrics.put("entries", disk == null ? 0 : disk.getMappings());
        metrics.put("bytes", disk == null ? 0 : disk.getOccupiedByteSize());
        metrics.put("maxBytes", maxBytes);
        return metrics;
    }

    @Override
    public void close() {
        manager.close();
    }
}
