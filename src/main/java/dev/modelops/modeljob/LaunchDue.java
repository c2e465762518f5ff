package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.lifecycle.JobLifecycle;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The Job is created only when the lifecycle says that it is due (and never once the status names a Job). */
public class LaunchDue implements Condition<Job, ModelJob> {

    @Override
    public boolean isMet(DependentResource<Job, ModelJob> dependentResource, ModelJob modelJob,
            Context<ModelJob> context) {
        return JobLifecycle.launchDue(modelJob, context.getSecondaryResource(ModelVersion.class).isPresent());
    }
}
