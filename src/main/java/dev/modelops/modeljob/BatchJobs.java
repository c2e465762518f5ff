package dev.modelops.modeljob;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/** Reads a batch/v1 Job's outcome from its conditions, as Kubernetes 1.31+ writes them. */
final class BatchJobs {

    private BatchJobs() {
    }

    static boolean finished(Job job) {
        return condition(job, "Complete").isPresent() || condition(job, "Failed").isPresent();
    }

    static boolean succeeded(Job job) {
        return condition(job, "Complete").isPresent();
    }

    /** The Failed condition of a failed Job: reason BackoffLimitExceeded or DeadlineExceeded. */
    static Optional<JobCondition> failure(Job job) {
        return condition(job, "Failed");
    }

    /** When the Job finished, from its Complete or Failed condition. */
    static Optional<Instant> finishedAt(Job job) {
        return condition(job, "Complete").or(() -> condition(job, "Failed"))
                .map(JobCondition::getLastTransitionTime).filter(time -> time != null && !time.isEmpty())
                .map(time -> OffsetDateTime.parse(time).toInstant());
    }

    /** How many of its pods the Job counts as ended, succeeded or failed. */
    static int endedPods(Job job) {
        return job.getStatus() == null ? 0 : Optional.ofNullable(job.getStatus().getSucceeded()).orElse(0)
                + Optional.ofNullable(job.getStatus().getFailed()).orElse(0);
    }

    static boolean suspended(Job job) {
        return Boolean.TRUE.equals(job.getSpec().getSuspend());
    }

    private static Optional<JobCondition> condition(Job job, String type) {
        return job.getStatus() == null || job.getStatus().getConditions() == null ? Optional.empty()
                : job.getStatus().getConditions().stream()
                        .filter(c -> c.getType().equals(type) && "True".equals(c.getStatus())).findFirst();
    }
}
