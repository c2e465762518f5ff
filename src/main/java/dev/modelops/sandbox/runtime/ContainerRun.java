package dev.modelops.sandbox.runtime;

import dev.modelops.sandbox.server.PodLogSource;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A started container, as the kubelet sees it. */
public interface ContainerRun {

    /** What it printed so far, line by line, each with the time it was printed and ending with a newline. */
    List<PodLogSource.Line> logs(Instant now);

    /** How it ended, once it has. */
    Optional<ContainerExit> exit(Instant now);

    /** SIGTERM at {@code now}; if it has not exited by {@code killAt} it is killed (SIGKILL). */
    void stop(Instant now, Instant killAt);

    /** When its state next changes (a line printed, an exit), for the kubelet to look again; empty when it will not. */
    Optional<Instant> nextChange(Instant now);
}
