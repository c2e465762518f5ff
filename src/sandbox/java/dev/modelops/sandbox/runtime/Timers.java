package dev.modelops.sandbox.runtime;

import java.time.Instant;
import java.util.HashSet;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Wake-ups on the sandbox clock. The runtime's ticker fires the due ones, so a {@link ManualClock} moved by a test
 * takes effect on the next tick.
 */
final class Timers {

    private record Wake(Instant at, String key, Consumer<String> target) {
    }

    private final PriorityQueue<Wake> wakes = new PriorityQueue<>((a, b) -> a.at().compareTo(b.at()));
    private final Set<Wake> pending = new HashSet<>();

    /** Calls the target with the key once the clock reaches the instant; the same wake-up is kept once. */
    synchronized void at(Instant when, String key, Consumer<String> target) {
        Wake wake = new Wake(when, key, target);
        if (pending.add(wake)) {
            wakes.add(wake);
        }
    }

    void fireDue(Instant now) {
        while (true) {
            Wake wake;
            synchronized (this) {
                wake = wakes.peek();
                if (wake == null || wake.at().isAfter(now)) {
                    return;
                }
                wakes.poll();
                pending.remove(wake);
            }
            wake.target().accept(wake.key());
        }
    }
}
