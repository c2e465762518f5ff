package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.lifecycle.JobLifecycle;
import dev.modelops.lifecycle.Requests;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The ModelVersion that a request (Approve, Reject, Deploy, Retire) is checked against. A refusal is final, the
 * ModelJob fails {@code OutOfOrder}, so one that the cache gives is confirmed with the API server: the ModelVersion
 * controller writes a version's stage and only then creates its decision or deploy, and this controller's cache of
 * versions may not show that stage yet (under the chaos suite's faults it often did not).
 */
final class RequestedVersion {

    private RequestedVersion() {
    }

    /** The cached version, or the API server's when the cached one would refuse a request not yet accepted. */
    static Optional<ModelVersion> of(ModelJob request, Optional<ModelVersion> cached, Supplier<ModelVersion> live) {
        boolean deciding = !JobLifecycle.compute(request) && (request.getStatus() == null
                || request.getStatus().getPhase() != JobPhase.Running);
        if (cached.isEmpty() || !deciding || Requests.refusal(request.getMetadata().getName(),
                request.getSpec().getType(), cached.get()).isEmpty()) {
            return cached;
        }
        return Optional.ofNullable(live.get());
    }
}
