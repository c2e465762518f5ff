package dev.modelops.sandbox.runtime;

import io.fabric8.kubernetes.api.model.Pod;

import java.time.Instant;

/**
 * What runs a pod's container for the sandbox kubelet. The simulation is one implementation; a runtime that runs a
 * real local process (the project's own runner image) is meant to be another.
 */
public interface ContainerRuntime {

    /** Starts the pod's (first) container at the instant. */
    ContainerRun start(Pod pod, Instant now);
}
