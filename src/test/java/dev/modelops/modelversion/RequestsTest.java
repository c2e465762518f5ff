package dev.modelops.modelversion;

import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.Stage;
import dev.modelops.testing.InjectSandbox;
import dev.modelops.testing.SandboxResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.modelops.modelversion.ModelVersionLifecycleTest.condition;
import static dev.modelops.modelversion.Versions.awaitEnded;
import static dev.modelops.modelversion.Versions.awaitStage;
import static dev.modelops.modelversion.Versions.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Approve, Reject, Deploy and Retire out of order fail the requesting ModelJob with a reason that names the
 * version's stage and what is needed, and change nothing else; of two requests at the same moment one wins.
 */
@QuarkusTest
@QuarkusTestResource(SandboxResource.class)
class RequestsTest {

    @InjectSandbox
    KubernetesClient client;

    @Test
    void approvingAVersionStillTrainingFailsAndChangesNothing() {
        Versions.trained("early-v1", "early", 0.9).trainingTakes("20s").create(client);
        awaitStage(client, "early-v1", Stage.Training);

        request(client, "early-v1-approve", JobType.Approve, "early-v1", "looks good");
        ModelJob refused = awaitEnded(client, "early-v1-approve");

        assertRefused(refused, "ModelVersion early-v1 is Training: it can be approved or rejected once it is evaluated"
                + " and AwaitingApproval; nothing changed");
        ModelVersion version = Versions.get(client, "early-v1");
        assertEquals(Stage.Training, version.getStatus().getStage());
        assertEquals(null, version.getStatus().getApproval());
    }

    @Test
    void ofTwoApprovalsAtTheSameMomentOneIsRecordedAndTheOtherFailsNamingIt() {
        Versions.trained("race-v1", "race", 0.9).create(client);
        awaitStage(client, "race-v1", Stage.AwaitingApproval);

        CompletableFuture.allOf(
                CompletableFuture.runAsync(() -> request(client, "race-v1-approve-a", JobType.Approve, "race-v1", "a")),
                CompletableFuture.runAsync(() -> request(client, "race-v1-reject-b", JobType.Reject, "race-v1", "b")))
                .join();

        ModelJob a = awaitEnded(client, "race-v1-approve-a");
        ModelJob b = awaitEnded(client, "race-v1-reject-b");
        List<ModelJob> won = List.of(a, b).stream().filter(j -> j.getStatus().getPhase() == JobPhase.Succeeded).toList();
        List<ModelJob> lost = List.of(a, b).stream().filter(j -> j.getStatus().getPhase() == JobPhase.Failed).toList();
        assertEquals(1, won.size(), "one decision is recorded");
        assertEquals(1, lost.size());
        String winner = won.get(0).getMetadata().getName();
        assertEquals(winner, Versions.get(client, "race-v1").getStatus().getApproval().getJob());
        var failed = condition(lost.get(0), "Failed");
        assertTrue(List.of("Superseded", "OutOfOrder").contains(failed.getReason()), failed.getReason());
        assertTrue(failed.getMessage().contains("by ModelJob " + winner), failed.getMessage());
    }

    @Test
    void aSecondDecisionADeployOfARejectedVersionAndARetireOfAnUndeployedOneFail() {
        Versions.trained("refused-v1", "refused", 0.6).create(client);
        awaitStage(client, "refused-v1", Stage.AwaitingApproval);

        request(client, "refused-v1-deploy-early", JobType.Deploy, "refused-v1", null);
        assertRefused(awaitEnded(client, "refused-v1-deploy-early"),
                "ModelVersion refused-v1 is AwaitingApproval: only an Approved version can be deployed; nothing changed");

        request(client, "refused-v1-reject", JobType.Reject, "refused-v1", "AUC 0.6 is below 0.85");
        awaitStage(client, "refused-v1", Stage.Rejected);
        assertEquals(JobPhase.Succeeded, awaitEnded(client, "refused-v1-reject").getStatus().getPhase());

        request(client, "refused-v1-approve", JobType.Approve, "refused-v1", "second thoughts");
        assertRefused(awaitEnded(client, "refused-v1-approve"), "ModelVersion refused-v1 was already Rejected by"
                + " ModelJob refused-v1-reject: a version is decided once; create a new ModelVersion to decide again;"
                + " nothing changed");
        request(client, "refused-v1-deploy", JobType.Deploy, "refused-v1", null);
        assertRefused(awaitEnded(client, "refused-v1-deploy"), "ModelVersion refused-v1 was Rejected by ModelJob"
                + " refused-v1-reject: a rejected version is never deployed; nothing changed");
        request(client, "refused-v1-retire", JobType.Retire, "refused-v1", "clean up");
        assertRefused(awaitEnded(client, "refused-v1-retire"), "ModelVersion refused-v1 is Rejected, not Deployed:"
                + " only a deployed version can be retired; nothing changed");

        ModelVersion version = Versions.get(client, "refused-v1");
        assertEquals(Stage.Rejected, version.getStatus().getStage());
        assertEquals("refused-v1-reject", version.getStatus().getApproval().getJob());
        assertEquals(false, version.getStatus().getChampion() != null && version.getStatus().getChampion());
    }

    private static void assertRefused(ModelJob job, String message) {
        assertEquals(JobPhase.Failed, job.getStatus().getPhase());
        var failed = condition(job, "Failed");
        assertEquals("OutOfOrder", failed.getReason());
        assertEquals(message, failed.getMessage());
    }
}
