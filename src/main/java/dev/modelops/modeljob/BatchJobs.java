package dev.modelops.modeljob;

import dev.modelops.api.Rfc3339;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;

import java.time.Instant;
import java.util.Optional;

/** Reads a batch/v1 Job's outcome from its conditions, as Kubernetes 1.31+ writes them. */
final class BatchJobs {

    static final String COMPLETE = "Complete";
    static final String FAILED = "Failed";
    /** Kubernetes 1.31+: the Job will fail once its pods have terminated. */
    static final String FAILURE_TARGET = "FailureTarget";
    static final String SUSPENDED = "Suspended";

    private BatchJobs() {
    }

    static boolean finished(Job job) {
        return condition(job, COMPLETE).isPresent() || condition(job, FAILED).isPresent();
    }

    /**
     * Finished, or failing: a Job past its deadline or backoff limit deletes its running pods before it is Failed,
     * so their logs are kept at once. (A Job that succeeds keeps its ended pods until its TTL.)
     */
    static boolean finishing(Job job) {
        return finished(job) || condition(job, FAILURE_TARGET).isPresent();
    }

    static boolean succeeded(Job job) {
        return condition(job, COMPLETE).isPresent();
    }

    /** The Failed condition of a failed Job: reason BackoffLimitExceeded or DeadlineExceeded. */
    static Optional<JobCondition> failure(Job job) {
        return condition(job, FAILED);
    }

    /** When the Job finished, from its Complete or Failed condition. */
    static Optional<Instant> finishedAt(Job job) {
        return condition(job, COMPLETE).or(() -> condition(job, FAILED))
                .map(JobCondition::getLastTransitionTime).filter(time -> time != null && !time.isEmpty())
                .map(Rfc3339::instant);
    }

    /** How many of its pods the Job counts as ended, succeeded or failed. */
    static int endedPods(Job job) {
        return job.getStatus() == null ? 0 : Optional.ofNullable(job.getStatus().getSucceeded()).orElse(0)
                + Optional.ofNullable(job.getStatus().getFailed()).orElse(0);
    }

    static int activePods(Job job) {
        return job.getStatus() == null || job.getStatus().getActive() == null ? 0 : job.getStatus().getActive();
    }

    static boolean suspended(Job job) {
        return Boolean.TRUE.equals(job.getSpec().getSuspend());
    }

    /** Suspended, and the Job controller has acted on it: its pods are terminating or gone. */
    static boolean stopped(Job job) {
        return suspended(job) && (condition(job, SUSPENDED).isPresent() || activePods(job) == 0);
    }

    static Instant createdAt(Job job) {
        return Rfc3339.instant(job.getMetadata().getCreationTimestamp());
    }

    /** The Job's controller, when it is a ModelJob: whose Job it is. */
    static Optional<OwnerReference> controllingModelJob(Job job) {
        return job.getMetadata().getOwnerReferences() == null ? Optional.empty()
                : job.getMetadata().getOwnerReferences().stream()
                        .filter(owner -> Boolean.TRUE.equals(owner.getController()) && "ModelJob".equals(owner.getKind()))
                        .findFirst();
    }

    private static Optional<JobCondition> condition(Job job, String type) {
        return job.getStatus() == null || job.getStatus().getConditions() == null ? Optional.empty()
                : job.getStatus().getConditions().stream()
                        .filter(c -> c.getType().equals(type) && "True".equals(c.getStatus())).findFirst();
    }
}
