package dev.modelops.lifecycle;

import dev.modelops.api.v1alpha1.ApprovalRecord;
import dev.modelops.api.v1alpha1.Condition;
import dev.modelops.api.v1alpha1.ConditionStatus;
import dev.modelops.api.v1alpha1.Decision;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.ModelVersionStatus;
import dev.modelops.api.v1alpha1.Stage;
import dev.modelops.api.v1alpha1.StepJobs;

import java.util.Optional;

/**
 * The handshake of the requests that change a version (Approve, Reject, Deploy, Retire), as Kubernetes binds a
 * claim to a volume: the ModelJob controller accepts a request that is in order for the version's stage or refuses
 * it ({@link #refusal}); the ModelVersion controller records the first accepted one; the ModelJob controller then
 * ends each accepted request by what the version recorded ({@link #verdict}).
 */
public final class Requests {

    /** Reason of the version's Deployed condition when the deploy it recorded did not complete. */
    public static final String DEPLOY_FAILED = "DeployFailed";

    /** What became of an accepted request. */
    public sealed interface Verdict {
        /** The version has not recorded it, nor another one that excludes it. */
        record Waiting(String message) implements Verdict {
        }

        /** The version recorded this request and carried it out. */
        record Done(String message) implements Verdict {
        }

        /** The version recorded another request in its place. */
        record Superseded(String message) implements Verdict {
        }

        /** The version recorded this request and could not carry it out. */
        record Failed(String message) implements Verdict {
        }
    }

    private Requests() {
    }

    /**
     * Why the request cannot be taken in the version's present stage, naming the stage and what is needed; empty
     * when it is in order.
     */
    public static Optional<String> refusal(String modelJob, JobType type, ModelVersion version) {
        ModelVersionStatus status = Optional.ofNullable(version.getStatus()).orElseGet(ModelVersionStatus::new);
        Stage stage = Optional.ofNullable(status.getStage()).orElse(Stage.Registered);
        String name = "ModelVersion " + version.getMetadata().getName();
        ApprovalRecord approval = status.getApproval();
        StepJobs jobs = Optional.ofNullable(status.getJobs()).orElseGet(StepJobs::new);
        return switch (type) {
            case Approve, Reject -> approval != null
                    ? Optional.of(name + " was already " + approval.getDecision() + " by ModelJob " + approval.getJob()
                            + ": a version is decided once; create a new ModelVersion to decide again")
                    : stage != Stage.AwaitingApproval
                            ? Optional.of(name + " is " + stage + ": it can be approved or rejected once it is"
                                    + " evaluated and AwaitingApproval")
                            : Optional.empty();
            case Deploy -> {
                if (approval != null && approval.getDecision() == Decision.Rejected) {
                    yield Optional.of(name + " was Rejected by ModelJob " + approval.getJob()
                            + ": a rejected version is never deployed");
                }
                if (approval == null) {
                    yield Optional.of(name + " is " + stage + ": only an Approved version can be deployed");
                }
                boolean mine = modelJob.equals(jobs.getDeploy());
                if (stage == Stage.Deployed || stage == Stage.Deploying && !mine) {
                    yield Optional.of(name + " is " + stage + " by ModelJob " + jobs.getDeploy()
                            + ": it is deployed once at a time");
                }
                yield Optional.empty();
            }
            case Retire -> stage == Stage.Deployed ? Optional.empty()
                    : Optional.of(name + " is " + stage + ", not Deployed: only a deployed version can be retired");
            default -> Optional.of(type + " is not a request to a version");
        };
    }

    /** What the version says of an accepted request. */
    public static Verdict verdict(String modelJob, JobType type, ModelVersion version) {
        ModelVersionStatus status = Optional.ofNullable(version.getStatus()).orElseGet(ModelVersionStatus::new);
        Stage stage = Optional.ofNullable(status.getStage()).orElse(Stage.Registered);
        StepJobs jobs = Optional.ofNullable(status.getJobs()).orElseGet(StepJobs::new);
        String name = "ModelVersion " + version.getMetadata().getName();
        switch (type) {
            case Approve, Reject -> {
                ApprovalRecord approval = status.getApproval();
                if (approval == null) {
                    return new Verdict.Waiting("Accepted; waiting for " + name + " to record the decision");
                }
                if (modelJob.equals(approval.getJob())) {
                    return new Verdict.Done(name + " is " + approval.getDecision() + ": " + approval.getReason());
                }
                return new Verdict.Superseded(name + " was already " + approval.getDecision() + " by ModelJob "
                        + approval.getJob() + ", taken first");
            }
            case Deploy -> {
                if (modelJob.equals(jobs.getDeploy())) {
                    Optional<Condition> deployed = condition(status, "Deployed");
                    if (deployed.map(c -> DEPLOY_FAILED.equals(c.getReason())).orElse(false)) {
                        return new Verdict.Failed(deployed.get().getMessage());
                    }
                    if (stage == Stage.Deployed || stage == Stage.Retired) {
                        return new Verdict.Done(name + " is deployed: the champion of model "
                                + version.getSpec().getModel());
                    }
                    return new Verdict.Waiting(Optional.ofNullable(status.getMessage())
                            .orElse("Accepted; " + name + " is deploying"));
                }
                if (jobs.getDeploy() != null && (stage == Stage.Deploying || stage == Stage.Deployed)) {
                    return new Verdict.Superseded(name + " is " + stage + " by ModelJob " + jobs.getDeploy()
                            + ", taken first");
                }
                return new Verdict.Waiting("Accepted; waiting for " + name + " to deploy");
            }
            case Retire -> {
                if (modelJob.equals(jobs.getRetire())) {
                    return stage == Stage.Retired ? new Verdict.Done(name + " is retired")
                            : new Verdict.Waiting("Accepted; " + name + " is retiring");
                }
                if (jobs.getRetire() != null && stage == Stage.Retired) {
                    return new Verdict.Superseded(name + " was retired by ModelJob " + jobs.getRetire()
                            + ", taken first");
                }
                return new Verdict.Waiting("Accepted; waiting for " + name + " to retire");
            }
            default -> {
                return new Verdict.Failed(type + " is not a request to a version");
            }
        }
    }

    private static Optional<Condition> condition(ModelVersionStatus status, String type) {
        return status.getConditions() == null ? Optional.empty()
                : status.getConditions().stream().filter(c -> type.equals(c.getType())
                        && c.getStatus() == ConditionStatus.False).findFirst();
    }
}
