package dev.modelops.lifecycle;

import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelSource;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The compute steps of a version's walk, in order: a trained model is trained, then evaluated; an imported one is
 * imported, profiled (ComputeStatistics), then evaluated. Approval and deploy follow the last step.
 */
public final class Steps {

    private static final List<JobType> TRAINED = List.of(JobType.Train, JobType.Evaluate);
    private static final List<JobType> IMPORTED = List.of(JobType.Import, JobType.ComputeStatistics, JobType.Evaluate);

    private Steps() {
    }

    public static List<JobType> of(ModelSource source) {
        return source != null && source.getImport() != null ? IMPORTED : TRAINED;
    }

    /** The first step of the walk that has not succeeded yet; empty when all have, and approval is next. */
    public static Optional<JobType> next(ModelSource source, Set<JobType> succeeded) {
        return of(source).stream().filter(step -> !succeeded.contains(step)).findFirst();
    }
}
