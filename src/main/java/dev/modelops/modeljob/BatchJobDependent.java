package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.common.InformerLists;
import dev.modelops.common.Labels;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;

import java.util.Set;

/**
 * The batch/v1 Job of a compute ModelJob, created once and never updated: a Job's pod template is immutable and a
 * ModelJob runs once. The reconciler decides whether it is due and builds it; this class creates it, with an owner
 * reference, and caches only the operator's Jobs, pruned to what the reconciler reads.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MODEL_JOB, itemStore = PrunedCaches.JobStore.class,
        informerListLimit = InformerLists.PAGE))
public class BatchJobDependent extends KubernetesDependentResource<Job, ModelJob>
        implements Creator<Job, ModelJob>, SecondaryToPrimaryMapper<Job> {

    private final ModelJobLabelMapper<Job> mapper = new ModelJobLabelMapper<>();

    @Override
    protected Job desired(ModelJob modelJob, Context<ModelJob> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(Job.class, Job.class);
    }

    @Override
    protected ResourceID targetSecondaryResourceID(ModelJob modelJob, Context<ModelJob> context) {
        return ResourceID.fromResource(modelJob);
    }

    @Override
    public Set<ResourceID> toPrimaryResourceIDs(Job job) {
        return mapper.toPrimaryResourceIDs(job);
    }

    /** The factory sets the controller reference; JOSDK must not map the Job by annotations instead. */
    @Override
    protected boolean addOwnerReference() {
        return true;
    }
}
