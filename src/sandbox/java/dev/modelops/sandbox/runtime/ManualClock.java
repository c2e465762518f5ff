package dev.modelops.sandbox.runtime;

import java.time.Duration;
import java.time.Instant;

/** A clock that moves only when told to; the runtime notices on its next tick. */
public final class ManualClock implements SandboxClock {

    private volatile Instant now;

    public ManualClock(Instant start) {
        this.now = start;
    }

    /** Starts at the current wall-clock second. */
    public static ManualClock atSystemTime() {
        return new ManualClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    @Override
    public Instant now() {
        return now;
    }

    public synchronized void advance(Duration duration) {
        now = now.plus(duration);
    }

    public void set(Instant instant) {
        now = instant;
    }
}
