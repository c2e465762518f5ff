package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.cache.PrunedCaches;
import dev.modelops.common.InformerLists;
import dev.modelops.common.Labels;
import dev.modelops.workload.JobSettings;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import jakarta.inject.Inject;

import java.util.Set;

/**
 * The batch/v1 Job of a compute ModelJob, created once when {@link LaunchRecorded} holds and never updated: a Job's pod
 * template is immutable and a ModelJob runs once. Caches only the operator's Jobs, pruned to what the reconciler
 * reads.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.JOB_TYPE, itemStore = PrunedCaches.JobStore.class,
        informerListLimit = InformerLists.PAGE))
public class BatchJobDependent extends KubernetesDependentResource<Job, ModelJob>
        implements Creator<Job, ModelJob>, SecondaryToPrimaryMapper<Job> {

    private final ModelJobLabelMapper<Job> mapper = new ModelJobLabelMapper<>();
    private final BatchJobSpec jobs;

    @Inject
    public BatchJobDependent(JobSettings settings) {
        this.jobs = new BatchJobSpec(settings);
    }

    @Override
    protected Job desired(ModelJob modelJob, Context<ModelJob> context) {
        return jobs.build(modelJob, context.getSecondaryResource(ModelVersion.class).orElseThrow());
    }

    @Override
    protected ResourceID targetSecondaryResourceID(ModelJob modelJob, Context<ModelJob> context) {
        return ResourceID.fromResource(modelJob);
    }

    @Override
    public Set<ResourceID> toPrimaryResourceIDs(Job job) {
        return mapper.toPrimaryResourceIDs(job);
    }

    /** The Job carries the controller reference; JOSDK must not map it by annotations instead. */
    @Override
    protected boolean addOwnerReference() {
        return true;
    }
}
