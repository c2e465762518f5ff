package dev.modelops.sandbox.runtime;

import dev.modelops.api.v1alpha1.EventType;
import dev.modelops.common.EventReason;

/** The Events of the simulated CronJob controller, with Kubernetes' reasons. */
enum CronJobReason implements EventReason {
    SuccessfulCreate(EventType.Normal),
    SawCompletedJob(EventType.Normal),
    SuccessfulDelete(EventType.Normal),
    JobAlreadyActive(EventType.Normal),
    MissSchedule(EventType.Warning);

    private final EventType type;

    CronJobReason(EventType type) {
        this.type = type;
    }

    @Override
    public EventType type() {
        return type;
    }
}
