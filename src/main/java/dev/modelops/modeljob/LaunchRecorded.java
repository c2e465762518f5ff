package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.lifecycle.JobLifecycle;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * The Job is created only once the ModelJob's status names it: the reconciler records the launch first, when the
 * lifecycle says it is due, so that a Job is never created twice.
 */
public class LaunchRecorded implements Condition<Job, ModelJob> {

    @Override
    public boolean isMet(DependentResource<Job, ModelJob> dependentResource, ModelJob modelJob,
            Context<ModelJob> context) {
        return JobLifecycle.launchRecorded(modelJob);
    }
}
