package dev.modelops.modelversion;

import dev.modelops.api.v1alpha1.EventType;
import dev.modelops.common.EventReason;
import dev.modelops.lifecycle.Requests;

/** The reasons of a ModelVersion's conditions; a change of a step's condition is also an Event with its reason. */
enum VersionReason implements EventReason {
    /** The step's ModelJob is being created. */
    Pending(EventType.Normal),
    /** The step's ModelJob runs. */
    Running(EventType.Normal),
    Succeeded(EventType.Normal),
    Failed(EventType.Warning),
    /** Waiting for an Approve or Reject ModelJob. */
    AwaitingApproval(EventType.Normal),
    /** The gates were evaluated and the decision's ModelJob is being created. */
    Deciding(EventType.Normal),
    InvalidGate(EventType.Warning),
    MissingMetric(EventType.Warning),
    Approved(EventType.Normal),
    Rejected(EventType.Normal),
    NotDeployed(EventType.Normal),
    Deploying(EventType.Normal),
    WaitingForChampion(EventType.Normal),
    Deployed(EventType.Normal),
    /** {@link Requests#DEPLOY_FAILED}: the Deploy ModelJob's request could not be carried out. */
    DeployFailed(EventType.Warning),
    Retired(EventType.Normal),
    /** Ready: the version is at rest, nothing of its walk runs. */
    Settled(EventType.Normal),
    /** Ready: a step of the walk runs. */
    InProgress(EventType.Normal),
    /** An Event only: the serving Deployment was changed to a new spec.deploy.online. */
    ServingUpdated(EventType.Normal),
    /** An Event only: the serving pods do not meet Pod Security "restricted", as spec.deploy.online asks. */
    PodSecurityRelaxed(EventType.Warning);

    private final EventType type;

    VersionReason(EventType type) {
        this.type = type;
    }

    @Override
    public EventType type() {
        return type;
    }
}
