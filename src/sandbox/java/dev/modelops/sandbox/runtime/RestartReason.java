package dev.modelops.sandbox.runtime;

import dev.modelops.api.v1alpha1.EventType;
import dev.modelops.common.EventReason;

/**
 * The kubelet's Event before it restarts a container that exited: a Warning {@code BackOff}, where its back-off in
 * pulling an image ({@link ClusterReason#BackOff}) is Normal (pkg/kubelet/events/event.go, BackOffStartContainer).
 */
enum RestartReason implements EventReason {
    BackOff(EventType.Warning);

    private final EventType type;

    RestartReason(EventType type) {
        this.type = type;
    }

    @Override
    public EventType type() {
        return type;
    }
}
