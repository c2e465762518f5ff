package dev.modelops.sandbox.runtime;

import java.time.Duration;
import java.time.Instant;

/**
 * The kubelet's back-off before it restarts a container that exited (client-go's {@code flowcontrol.Backoff} as
 * {@code pkg/kubelet/kuberuntime} uses it): the first restart is at once, the next waits 10 s after the exit, then
 * 20 s, 40 s ... up to 5 min; a container that ran for more than 10 min since its last restart is restarted at once
 * and its back-off starts over. No jitter.
 */
final class RestartBackOff {

    static final Duration INITIAL = Duration.ofSeconds(10);
    static final Duration MAX = Duration.ofMinutes(5);

    /** The back-off in force; null before the first restart. */
    private Duration current;
    private Instant updatedAt;

    /** When a container that exited at the instant may start again. */
    Instant restartAt(Instant exitedAt) {
        return current == null || expired(exitedAt) ? exitedAt : exitedAt.plus(current);
    }

    /** The container that exited at {@code exitedAt} is started again at {@code now}. */
    void restarted(Instant exitedAt, Instant now) {
        current = current == null || expired(exitedAt) ? INITIAL
                : current.multipliedBy(2).compareTo(MAX) > 0 ? MAX : current.multipliedBy(2);
        updatedAt = now;
    }

    /** The back-off in force, as Go prints a duration: {@code 10s}, {@code 1m20s}, {@code 5m0s}. */
    String current() {
        long seconds = current == null ? 0 : current.toSeconds();
        return seconds < 60 ? seconds + "s" : seconds / 60 + "m" + seconds % 60 + "s";
    }

    /** A container that stayed up for twice the longest back-off is taken as stable again. */
    private boolean expired(Instant exitedAt) {
        return Duration.between(updatedAt, exitedAt).compareTo(MAX.multipliedBy(2)) > 0;
    }
}
