package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.EventType;
import dev.modelops.common.EventReason;

/** What can happen to a ModelJob: each is a timeline entry and a Kubernetes Event with this reason. */
enum ModelJobReason implements EventReason {
    Created(EventType.Normal),
    /** A request to the version (Approve, Reject, Deploy, Retire) is in order and waits for the version. */
    Accepted(EventType.Normal),
    ModelVersionNotFound(EventType.Warning),
    /** The Job's pod does not meet Pod Security "restricted": its template relaxes it, as the operator allows. */
    PodSecurityRelaxed(EventType.Warning),
    JobCreated(EventType.Normal),
    JobNotCreated(EventType.Warning),
    JobNameTaken(EventType.Warning),
    PodNotCreated(EventType.Warning),
    /** Someone else set the Job's spec.suspend: its pods are stopped until it is resumed. */
    JobSuspended(EventType.Warning),
    PodUnschedulable(EventType.Warning),
    PodScheduled(EventType.Normal),
    PodWaiting(EventType.Warning),
    Started(EventType.Normal),
    PodFailed(EventType.Warning),
    StopRequested(EventType.Normal),
    LogsNotKept(EventType.Warning),
    Succeeded(EventType.Normal),
    Failed(EventType.Warning),
    Cancelled(EventType.Normal);

    private final EventType type;

    ModelJobReason(EventType type) {
        this.type = type;
    }

    @Override
    public EventType type() {
        return type;
    }
}
