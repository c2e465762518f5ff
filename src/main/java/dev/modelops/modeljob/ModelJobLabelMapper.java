package dev.modelops.modeljob;

import dev.modelops.common.Labels;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;

import java.util.Set;

/**
 * Maps a Job or pod to its ModelJob by the {@code modelops.dev/model-job} label that the operator sets on both; a Job
 * that a BatchPrediction's CronJob started, and its pods, to the ModelJob of the Job's name that tracks it.
 */
final class ModelJobLabelMapper<R extends HasMetadata> implements SecondaryToPrimaryMapper<R> {

    @Override
    public Set<ResourceID> toPrimaryResourceIDs(R resource) {
        var labels = resource.getMetadata().getLabels();
        String modelJob = labels == null ? null : labels.get(Labels.MODEL_JOB);
        if (modelJob == null && labels != null) {
            // A run of a BatchPrediction's CronJob: its ModelJob has the Job's name.
            modelJob = resource instanceof Job ? resource.getMetadata().getName() : labels.get(Labels.JOB_NAME);
        }
        return modelJob == null ? Set.of() : Set.of(new ResourceID(modelJob, resource.getMetadata().getNamespace()));
    }
}
