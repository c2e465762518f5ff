package dev.modelops.sandbox.runtime;

import java.time.Instant;

/**
 * The time the simulated cluster lives in. Every time decision of the runtime (how long a pod stays Pending or
 * runs, deadlines, TTLs, cron schedules) asks this clock, so tests can move time with a {@link ManualClock}.
 */
@FunctionalInterface
public interface SandboxClock {

    Instant now();

    /** The wall clock. */
    static SandboxClock system() {
        return Instant::now;
    }
}
