package dev.modelops.sandbox.runtime;

import java.time.Instant;
import java.util.Optional;

/** A started container, as the kubelet sees it. */
public interface ContainerRun {

    /** What it printed so far. */
    String logs(Instant now);

    /** How it ended, once it has. */
    Optional<ContainerExit> exit(Instant now);

    /** SIGTERM at {@code now}; if it has not exited by {@code killAt} it is killed (SIGKILL). */
    void stop(Instant now, Instant killAt);

    /** When its state next changes, for the kubelet to look again; empty when it will not change by itself. */
    Optional<Instant> nextChange(Instant now);
}
