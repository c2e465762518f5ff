package dev.modelops.lifecycle;

import dev.modelops.api.Rfc3339;
import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobResult;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;

import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

/**
 * What the lifecycle rules read of one ModelJob of a version: its step, where it stands, when it was created, why
 * (for decisions) and what it reported. A ModelJob that no controller has looked at yet is Pending.
 */
public record StepJob(String name, JobType type, JobPhase phase, Instant created, String reason, String message,
        JobResult result) {

    /** The order in which requests are taken: creation time, then name. Every reader orders alike. */
    public static final Comparator<StepJob> ORDER = Comparator.comparing(StepJob::created).thenComparing(StepJob::name);

    public static StepJob of(ModelJob job) {
        var status = Optional.ofNullable(job.getStatus());
        String created = job.getMetadata().getCreationTimestamp();
        return new StepJob(job.getMetadata().getName(), job.getSpec().getType(),
                status.map(s -> s.getPhase()).orElse(JobPhase.Pending),
                created == null ? Instant.EPOCH : Rfc3339.instant(created), job.getSpec().getReason(),
                status.map(s -> s.getMessage()).orElse(null), status.map(s -> s.getResult()).orElse(null));
    }

    public boolean ended() {
        return JobLifecycle.ended(phase);
    }

    public boolean succeeded() {
        return phase == JobPhase.Succeeded;
    }

    /**
     * A request (Approve, Reject, Deploy, Retire) that the ModelJob controller found in order and accepted: it runs
     * until the version records it, or another one.
     */
    public boolean accepted() {
        return type.kind() != JobType.Kind.COMPUTE && phase == JobPhase.Running;
    }
}
