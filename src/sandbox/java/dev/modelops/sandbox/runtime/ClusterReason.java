package dev.modelops.sandbox.runtime;

import dev.modelops.api.v1alpha1.EventType;
import dev.modelops.common.EventReason;

/**
 * The Events the simulated scheduler, kubelet, Job, ReplicaSet and Deployment controllers record, with the reasons
 * and types Kubernetes uses (pkg/kubelet/events/event.go, pkg/controller/job/job_controller.go,
 * pkg/controller/replicaset/replica_set.go, pkg/controller/deployment/sync.go, pkg/scheduler/schedule_one.go).
 */
enum ClusterReason implements EventReason {
    Scheduled(EventType.Normal),
    Pulling(EventType.Normal),
    Pulled(EventType.Normal),
    Failed(EventType.Warning),
    BackOff(EventType.Normal),
    Created(EventType.Normal),
    Started(EventType.Normal),
    Killing(EventType.Normal),
    SuccessfulCreate(EventType.Normal),
    FailedCreate(EventType.Warning),
    SuccessfulDelete(EventType.Normal),
    Completed(EventType.Normal),
    Suspended(EventType.Normal),
    Resumed(EventType.Normal),
    BackoffLimitExceeded(EventType.Warning),
    DeadlineExceeded(EventType.Warning),
    ScalingReplicaSet(EventType.Normal);

    private final EventType type;

    ClusterReason(EventType type) {
        this.type = type;
    }

    @Override
    public EventType type() {
        return type;
    }
}
