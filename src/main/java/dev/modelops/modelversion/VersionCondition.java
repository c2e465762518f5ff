package dev.modelops.modelversion;

import dev.modelops.api.v1alpha1.JobType;

/** The conditions of a ModelVersion: one per step of its walk, and Ready. */
enum VersionCondition {
    Trained, Imported, StatisticsComputed, Evaluated, Approved, Deployed, Retired, Ready;

    /** The condition a compute step sets when it succeeds. */
    static VersionCondition of(JobType step) {
        return switch (step) {
            case Train -> Trained;
            case Import -> Imported;
            case ComputeStatistics -> StatisticsComputed;
            case Evaluate -> Evaluated;
            default -> throw new IllegalArgumentException(step + " is not a step of the walk");
        };
    }
}
