package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.lifecycle.JobLifecycle;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnAddFilter;

/**
 * Which ModelJobs the controller's cache takes in (at its start's list, or a relist) without a reconcile: those
 * that have ended and whose generation is acknowledged, for which a reconcile does nothing. A restarted operator
 * with 10,000 of them otherwise queued 10,000 reconciles ahead of the first new ModelJob. A change of such a ModelJob
 * is an update, which is reconciled; one made while the operator was down leaves the generation unacknowledged, so
 * that its add is let through.
 */
public final class EndedAndAcknowledged implements OnAddFilter<ModelJob> {

    @Override
    public boolean accept(ModelJob modelJob) {
        Long generation = modelJob.getMetadata().getGeneration();
        return !(JobLifecycle.ended(modelJob) && generation != null
                && generation.equals(modelJob.getStatus().getObservedGeneration()));
    }
}
