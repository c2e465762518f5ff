package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelJobStatus;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.ModelVersionStatus;
import dev.modelops.api.v1alpha1.Stage;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.modelops.modeljob.ModelJobs.modelJob;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * A request is refused for good, so the version it is refused against is the API server's, not a cache that lags
 * behind the stage the ModelVersion controller wrote before it created the request: the chaos suite found automatic
 * approvals failed {@code OutOfOrder} against a version the cache still showed Evaluating.
 */
class RequestedVersionTest {

    private final AtomicInteger reads = new AtomicInteger();

    @Test
    void aRequestTheCachedVersionWouldRefuseIsCheckedAgainstTheApiServersVersion() {
        ModelJob approve = request(JobType.Approve, null);
        ModelVersion live = version(Stage.AwaitingApproval);

        Optional<ModelVersion> checked = RequestedVersion.of(approve, Optional.of(version(Stage.Evaluating)), () -> {
            reads.incrementAndGet();
            return live;
        });

        assertSame(live, checked.orElseThrow());
        assertEquals(1, reads.get());
    }

    @Test
    void aRequestInOrderForTheCacheCostsNoRead() {
        ModelVersion cached = version(Stage.AwaitingApproval);

        assertSame(cached, RequestedVersion.of(request(JobType.Approve, null), Optional.of(cached), this::read)
                .orElseThrow());
        assertEquals(0, reads.get());
    }

    @Test
    void anAcceptedRequestAndAComputeStepAreNotChecked() {
        ModelVersion cached = version(Stage.Evaluating);

        RequestedVersion.of(request(JobType.Approve, JobPhase.Running), Optional.of(cached), this::read);
        RequestedVersion.of(modelJob("evaluate", JobType.Evaluate, "churn-v3").build(), Optional.of(cached),
                this::read);

        assertEquals(0, reads.get());
    }

    private ModelVersion read() {
        reads.incrementAndGet();
        return version(Stage.AwaitingApproval);
    }

    private static ModelJob request(JobType type, JobPhase phase) {
        ModelJob job = modelJob("churn-v3-approval-1", type, "churn-v3").build();
        job.getSpec().setReason("gates pass");
        if (phase != null) {
            job.setStatus(new ModelJobStatus());
            job.getStatus().setPhase(phase);
        }
        return job;
    }

    private static ModelVersion version(Stage stage) {
        ModelVersion version = ModelJobs.version("churn-v3");
        version.setStatus(new ModelVersionStatus());
        version.getStatus().setStage(stage);
        return version;
    }
}
