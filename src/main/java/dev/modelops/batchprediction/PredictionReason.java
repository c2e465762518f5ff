package dev.modelops.batchprediction;

import dev.modelops.api.v1alpha1.EventType;
import dev.modelops.common.EventReason;

/** What can happen to a BatchPrediction: the reasons of its conditions and Events. */
enum PredictionReason implements EventReason {
    Scheduled(EventType.Normal),
    /** No version to score with: the model has no deployed version, or the pinned one is not deployed. */
    NoDeployedVersion(EventType.Warning),
    InvalidSchedule(EventType.Warning),
    /** The template cannot become a pod (no image, beyond the pod security level, a service account). */
    InvalidTemplate(EventType.Warning),
    /** A CronJob of the BatchPrediction's name belongs to another object. */
    CronJobNameTaken(EventType.Warning),
    /** The runs' pod does not meet Pod Security "restricted": the template relaxes it, as the operator allows. */
    PodSecurityRelaxed(EventType.Warning),
    /** spec.suspend is true. */
    SuspendedBySpec(EventType.Normal),
    NotSuspended(EventType.Normal),
    VersionChanged(EventType.Normal),
    RunAdopted(EventType.Normal),
    RunNow(EventType.Normal),
    RunNowRefused(EventType.Warning),
    RunReplaced(EventType.Normal),
    MissedRuns(EventType.Warning),
    RunDeleted(EventType.Normal),
    /** Someone else changed the spec of the BatchPrediction's CronJob; the operator wrote it back. */
    CronJobRestored(EventType.Warning);

    private final EventType type;

    PredictionReason(EventType type) {
        this.type = type;
    }

    @Override
    public EventType type() {
        return type;
    }
}
