package dev.modelops.sandbox.server;

import java.util.Optional;

/** Serves the logs of pods, as the kubelet does behind {@code GET .../pods/<name>/log}. */
@FunctionalInterface
public interface PodLogSource {

    PodLogSource NONE = (namespace, pod, container) -> Optional.empty();

    /**
     * @param container the container asked for, or {@code null} for the pod's only container
     * @return the log text so far, or empty when the pod (or container) is unknown
     */
    Optional<String> logs(String namespace, String pod, String container);
}
