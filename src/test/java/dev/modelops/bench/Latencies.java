package dev.modelops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;

/** Latencies in milliseconds and their nearest-rank percentiles. */
final class Latencies {

    private final List<Double> millis = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentSkipListMap<Long, Double> byCreation = new ConcurrentSkipListMap<>();

    /** The latency of a unit created at {@code createdNanos} ({@link System#nanoTime()}). */
    void add(long createdNanos, double ms) {
        millis.add(ms);
        byCreation.put(createdNanos, ms);
    }

    /**
     * Every latency in the order its unit was created, with when (ms after the first), so that one can see whether
     * it grew along the stream.
     */
    void write(Path csv) throws IOException {
        List<String> lines = new ArrayList<>(List.of("created_ms,latency_ms"));
        long first = byCreation.isEmpty() ? 0 : byCreation.firstKey();
        byCreation.forEach((created, ms) -> lines.add(
                String.format(Locale.ROOT, "%.1f,%.1f", (created - first) / 1e6, ms)));
        Files.createDirectories(csv.getParent());
        Files.write(csv, lines);
    }

    int count() {
        return millis.size();
    }

    /** Waits until {@code count} latencies are in, for at most two minutes; fails naming {@code what} otherwise. */
    void awaitCount(int count, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (count() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (count() < count) {
            throw new IllegalStateException(count() + " of " + count + " " + what + " in 2 minutes");
        }
    }

    double percentile(double p) {
        List<Double> sorted;
        synchronized (millis) {
            sorted = new ArrayList<>(millis);
        }
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
