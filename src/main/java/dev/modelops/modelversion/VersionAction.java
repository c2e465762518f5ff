package dev.modelops.modelversion;

import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.lifecycle.ChampionRecord;

/** What the ModelVersion controller does after it wrote the status that calls for it. */
sealed interface VersionAction {

    /** Create the step's ModelJob, owned by the version; one that exists already is left as it is. */
    record CreateJob(JobType type, String name, String reason) implements VersionAction {
    }

    /** Create or update the Deployment and Service that serve the version. */
    record Serve() implements VersionAction {
    }

    /** Delete the Deployment and Service. */
    record StopServing() implements VersionAction {
    }

    /** Write the model's champion record, only if it is still as it was read. */
    record WriteChampion(ChampionRecord next) implements VersionAction {
    }
}
