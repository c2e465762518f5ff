package dev.modelops.sandbox.runtime;

import io.fabric8.kubernetes.api.model.Pod;

import java.time.Instant;

/**
 * What runs a pod's container for the sandbox kubelet: the simulation ({@link SimulatedContainerRuntime}), or the
 * runner image's containers as real local processes over it ({@link ProcessContainerRuntime}).
 */
public interface ContainerRuntime {

    /** Starts the pod's (first) container at the instant. */
    ContainerRun start(Pod pod, Instant now);
}
