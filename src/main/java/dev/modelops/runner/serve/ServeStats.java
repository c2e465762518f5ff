package dev.modelops.runner.serve;

import dev.modelops.runner.Log;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * The inference requests served: counted and timed, logged as one line per period in which there were any
 * ({@code serve requests=<total> (+<new>) errors=<total> latency mean=<ms> max=<ms>}, the latency over the period).
 */
final class ServeStats {

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong periodRequests = new AtomicLong();
    private final AtomicLong periodNanos = new AtomicLong();
    private final LongAccumulator periodMax = new LongAccumulator(Math::max, 0);

    void record(long nanos, boolean ok) {
        requests.incrementAndGet();
        if (!ok) {
            errors.incrementAndGet();
        }
        periodRequests.incrementAndGet();
        periodNanos.addAndGet(nanos);
        periodMax.accumulate(nanos);
    }

    long requests() {
        return requests.get();
    }

    long errors() {
        return errors.get();
    }

    /** Logs the period's line, if there were requests in it, and starts a new period. */
    void logPeriod(Log log) {
        long n = periodRequests.getAndSet(0);
        long nanos = periodNanos.getAndSet(0);
        long max = periodMax.getThenReset();
        if (n > 0) {
            log.info(String.format(Locale.ROOT, "serve requests=%d (+%d) errors=%d latency mean=%.2f ms max=%.2f ms",
                    requests.get(), n, errors.get(), nanos / 1e6 / n, max / 1e6));
        }
    }
}
