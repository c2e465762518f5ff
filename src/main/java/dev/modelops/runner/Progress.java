package dev.modelops.runner;

import java.time.Duration;
import java.util.Locale;

/** Rows done, rate and time left, logged every {@code every} rows or every 10 seconds, whichever comes first. */
public final class Progress {

    private static final long INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

    private final Log log;
    private final String what;
    private final long total;
    private final long every;
    private final long start = System.nanoTime();
    private long done;
    private long lastRows;
    private long lastLog = start;

    public Progress(Log log, String what, long total, long every) {
        this.log = log;
        this.what = what;
        this.total = total;
        this.every = Math.max(1, every);
    }

    public void add(long rows) {
        done += rows;
        long now = System.nanoTime();
        if (done - lastRows >= every || now - lastLog >= INTERVAL_NANOS) {
            log.info(line(now));
            lastRows = done;
            lastLog = now;
        }
    }

    public long done() {
        return done;
    }

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    public double rate() {
        double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        return done / seconds;
    }

    private String line(long now) {
        double rate = rate();
        String eta = total > 0 && rate > 0 ? String.format(Locale.ROOT, " eta=%.0fs", (total - done) / rate) : "";
        String of = total > 0 ? "/" + total : "";
        return String.format(Locale.ROOT, "%s progress rows=%d%s rate=%.0f/s%s", what, done, of, rate, eta);
    }
}
