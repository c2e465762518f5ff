package dev.modelops.lifecycle;

import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Optional;

/**
 * The rules of a ModelJob's own life, as plain functions of the ModelJob: when it has ended, when a stop is asked
 * for, and when its batch Job is due. Every controller that reads or creates ModelJobs decides by these.
 */
public final class JobLifecycle {

    /** The annotation of a ModelJob that tracks a Job it did not create: that Job's uid. */
    public static final String ADOPTED_JOB = "modelops.dev/adopted-job";

    private JobLifecycle() {
    }

    /** Succeeded, Failed and Cancelled are final: the job never runs again. */
    public static boolean ended(JobPhase phase) {
        return phase == JobPhase.Succeeded || phase == JobPhase.Failed || phase == JobPhase.Cancelled;
    }

    /** Whether the ModelJob's status says it has ended. */
    public static boolean ended(ModelJob modelJob) {
        return modelJob.getStatus() != null && ended(modelJob.getStatus().getPhase());
    }

    public static boolean stopRequested(ModelJob modelJob) {
        return Boolean.TRUE.equals(modelJob.getSpec().getStop());
    }

    public static boolean compute(ModelJob modelJob) {
        return modelJob.getSpec().getType().kind() == JobType.Kind.COMPUTE;
    }

    /**
     * Whether the ModelJob's batch Job should be created now: a compute job, not stopped, not ended, whose
     * ModelVersion exists, and whose status names no Job yet. The status names the Job before it is created, so a
     * Job that was created once is never created again, even when it was deleted while the operator was down.
     */
    public static boolean launchDue(ModelJob modelJob, boolean versionExists) {
        return compute(modelJob) && adoptedJob(modelJob).isEmpty() && !stopRequested(modelJob) && !ended(modelJob)
                && versionExists && (modelJob.getStatus() == null || modelJob.getStatus().getJobName() == null);
    }

    /**
     * The uid of the Job a ModelJob tracks without having created it (a BatchPrediction's run, started by its
     * CronJob or by {@code kubectl create job --from=cronjob/...}); such a ModelJob never creates a Job.
     */
    public static Optional<String> adoptedJob(ModelJob modelJob) {
        var annotations = modelJob.getMetadata().getAnnotations();
        return Optional.ofNullable(annotations == null ? null : annotations.get(ADOPTED_JOB));
    }

    /** Whether the ModelJob tracks this Job, which it did not create. */
    public static boolean adopts(ModelJob modelJob, HasMetadata job) {
        return adoptedJob(modelJob).map(uid -> uid.equals(job.getMetadata().getUid())).orElse(false);
    }

    /** Whether the status names the ModelJob's Job as about to be created: the one moment it may be created. */
    public static boolean launchRecorded(ModelJob modelJob) {
        return compute(modelJob) && adoptedJob(modelJob).isEmpty() && !stopRequested(modelJob) && !ended(modelJob)
                && modelJob.getStatus() != null
                && modelJob.getMetadata().getName().equals(modelJob.getStatus().getJobName());
    }
}
