package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.lifecycle.JobLifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the operator knows of a ModelJob at one reconcile: its ModelVersion, its own Job and pods from the informer
 * caches, what became of its Job's launch, its logs once they are kept, and why its Job creates no pod if it knows.
 */
record Observation(ModelJob modelJob, Optional<ModelVersion> modelVersion, Children children, Launch launch,
        Optional<KeptLogs> logs, Optional<String> podCreationProblem, Instant now, Duration podCreationTimeout) {

    boolean stopRequested() {
        return JobLifecycle.stopRequested(modelJob);
    }

    boolean jobFinished() {
        return children.jobFinished();
    }
}
