package dev.modelops.sandbox.runtime;

import dev.modelops.sandbox.server.PodLogSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A started container, as the kubelet sees it. A simulated one changes only as the sandbox clock moves, so the kubelet
 * looks again at its {@link #nextChange}; a real process changes by itself and calls back through
 * {@link #whenChanged}.
 */
public interface ContainerRun {

    /** What it printed so far, line by line, each with the time it was printed and ending with a newline. */
    List<PodLogSource.Line> logs(Instant now);

    /** The lines it keeps of what it printed, and how many it printed before them (dropped to bound memory). */
    default Printed printed(Instant now) {
        return new Printed(0, logs(now));
    }

    /** How it ended, once it has. */
    Optional<ContainerExit> exit(Instant now);

    /** SIGTERM at {@code now}; if it has not exited by {@code killAt} it is killed (SIGKILL). */
    void stop(Instant now, Instant killAt);

    /** When its state next changes (a line printed, an exit), for the kubelet to look again; empty when it will not. */
    Optional<Instant> nextChange(Instant now);

    /** The kubelet's wake-up, for a container that changes by itself (exits, becomes ready) rather than on the clock. */
    default void whenChanged(Runnable wake) {
    }

    /**
     * Whether its readiness comes from a real probe ({@link #readyAt}) rather than from the readiness probe's
     * initial delay, as for a simulated container.
     */
    default boolean probesReadiness() {
        return false;
    }

    /** When a real readiness probe first passed; empty while none has. */
    default Optional<Instant> readyAt(Instant now) {
        return Optional.empty();
    }

    /** Annotations the kubelet puts on the pod once the container has started (where a local process listens). */
    default Map<String, String> podAnnotations() {
        return Map.of();
    }

    /** Lines kept of a log, after {@code dropped} earlier lines that were let go. */
    record Printed(long dropped, List<PodLogSource.Line> lines) {
    }
}
