package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the operator knows of a ModelJob at one reconcile: its ModelVersion, Job and pods from the informer caches,
 * why its Job could not be created if so, and its logs once they are kept.
 */
record Observation(ModelJob modelJob, Optional<ModelVersion> modelVersion, Optional<Job> job, List<Pod> pods,
        Optional<Refusal> refusal, Optional<KeptLogs> logs, Instant now) {

    /** The job cannot run, and why. */
    record Refusal(FailureReason reason, String message) {
    }

    boolean stopRequested() {
        return Boolean.TRUE.equals(modelJob.getSpec().getStop());
    }

    /** The Job reached Complete or Failed. */
    boolean jobFinished() {
        return job.map(BatchJobs::finished).orElse(false);
    }
}
