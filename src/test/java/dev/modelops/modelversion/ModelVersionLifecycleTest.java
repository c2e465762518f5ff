package dev.modelops.modelversion;

import dev.modelops.api.v1alpha1.Condition;
import dev.modelops.api.v1alpha1.ConditionStatus;
import dev.modelops.api.v1alpha1.Decision;
import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.Stage;
import dev.modelops.common.Conditions;
import dev.modelops.helm.ArgoCdHealth;
import dev.modelops.testing.InjectSandbox;
import dev.modelops.testing.SandboxResource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.modelops.modelversion.Versions.awaitEnded;
import static dev.modelops.modelversion.Versions.awaitStage;
import static dev.modelops.modelversion.Versions.request;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A version walks its whole life, each step a ModelJob that stays as its history. */
@QuarkusTest
@QuarkusTestResource(SandboxResource.class)
class ModelVersionLifecycleTest {

    @InjectSandbox
    KubernetesClient client;

    @Test
    void aTrainedVersionWithManualApprovalIsTrainedEvaluatedApprovedAndDeployed() {
        Versions.trained("fraud-v1", "fraud", 0.91).create(client);

        ModelVersion waiting = awaitStage(client, "fraud-v1", Stage.AwaitingApproval);
        assertEquals("s3://models/fraud-v1/model.onnx", waiting.getStatus().getArtifactUri());
        assertEquals(Versions.DIGEST, waiting.getStatus().getArtifactDigest());
        assertEquals(Map.of("auc", 0.91, "accuracy", 0.88), waiting.getStatus().getMetrics());
        assertEquals("accuracy=0.88", waiting.getStatus().getHeadlineMetric(), "no gates: the first metric by name");
        assertEquals("fraud-v1-train-1", waiting.getStatus().getJobs().getTrain());
        assertEquals("fraud-v1-evaluate-1", waiting.getStatus().getJobs().getEvaluate());
        assertCondition(waiting, "Trained", ConditionStatus.True, "Succeeded");
        assertCondition(waiting, "Evaluated", ConditionStatus.True, "Succeeded");
        assertCondition(waiting, "Approved", ConditionStatus.False, "AwaitingApproval");
        assertCondition(waiting, "Ready", ConditionStatus.True, "Settled");
        assertEquals("Suspended", ArgoCdHealth.of("modelversion.lua", waiting), "Argo CD: waiting for a person");
        ModelJob evaluate = Versions.job(client, "fraud-v1-evaluate-1");
        assertEquals("ModelVersion", evaluate.getMetadata().getOwnerReferences().get(0).getKind());
        assertEquals(JobPhase.Succeeded, evaluate.getStatus().getPhase());
        assertEquals(List.of("fraud-v1-train-1", "fraud-v1-evaluate-1"), client.resources(ModelJob.class)
                .withLabel("modelops.dev/model-version", "fraud-v1").list().getItems().stream()
                .sorted((a, b) -> a.getMetadata().getCreationTimestamp().compareTo(b.getMetadata().getCreationTimestamp()))
                .map(j -> j.getMetadata().getName()).toList(), "kubectl get mj -l modelops.dev/model-version: the history");

        request(client, "fraud-v1-approve", JobType.Approve, "fraud-v1", "AUC 0.91 on the October hold-out");
        ModelVersion approved = awaitStage(client, "fraud-v1", Stage.Approved);
        assertEquals(Decision.Approved, approved.getStatus().getApproval().getDecision());
        assertEquals("AUC 0.91 on the October hold-out", approved.getStatus().getApproval().getReason());
        assertEquals("fraud-v1-approve", approved.getStatus().getApproval().getJob());
        assertNotNull(approved.getStatus().getApproval().getTime());
        assertEquals(JobPhase.Succeeded, awaitEnded(client, "fraud-v1-approve").getStatus().getPhase());

        request(client, "fraud-v1-deploy", JobType.Deploy, "fraud-v1", null);
        ModelVersion deployed = awaitStage(client, "fraud-v1", Stage.Deployed);
        assertTrue(deployed.getStatus().getChampion());
        assertCondition(deployed, "Deployed", ConditionStatus.True, "Deployed");
        assertEquals(JobPhase.Succeeded, awaitEnded(client, "fraud-v1-deploy").getStatus().getPhase());
        ConfigMap record = client.configMaps().withName("modelops-champion-fraud").get();
        assertEquals("fraud-v1", record.getData().get("champion"));

        List<String> reasons = client.v1().events().withField("involvedObject.name", "fraud-v1").list().getItems()
                .stream().map(Event::getReason).toList();
        assertTrue(reasons.containsAll(List.of("Succeeded", "AwaitingApproval", "Approved", "Deployed")),
                () -> reasons + " in " + client.v1().events().list().getItems().stream()
                        .map(e -> e.getInvolvedObject().getName() + ":" + e.getReason()).toList());
    }

    @Test
    void anImportedVersionWithPassingGatesIsApprovedAndDeployedAutomatically() {
        Versions.imported("churn-byom-v1", "churn-byom", Versions.DIGEST, 0.9)
                .automatic("metrics.auc >= 0.85", "!has(champion.metrics) || metrics.auc >= champion.metrics.auc + 0.01")
                .deployAutomatically().create(client);

        ModelVersion deployed = awaitStage(client, "churn-byom-v1", Stage.Deployed);
        assertEquals("s3://modelops-artifacts/churn-byom-v1/model.onnx", deployed.getStatus().getArtifactUri());
        assertEquals(20000, deployed.getStatus().getStatistics().get("rows").asInt());
        assertEquals("auc=0.9", deployed.getStatus().getHeadlineMetric());
        assertCondition(deployed, "Imported", ConditionStatus.True, "Succeeded");
        assertCondition(deployed, "StatisticsComputed", ConditionStatus.True, "Succeeded");
        assertEquals("churn-byom-v1-approval-1", deployed.getStatus().getApproval().getJob());
        String reason = Versions.job(client, "churn-byom-v1-approval-1").getSpec().getReason();
        assertTrue(reason.contains("metrics.auc >= 0.85") && reason.contains("0.9"), reason);
        assertTrue(deployed.getStatus().getChampion());
        var evaluateEnv = client.batch().v1().jobs().withName("churn-byom-v1-evaluate-1").get().getSpec()
                .getTemplate().getSpec().getContainers().get(0).getEnv();
        assertTrue(evaluateEnv.stream().anyMatch(e -> e.getName().equals("MODELOPS_STATISTICS_URI")
                && e.getValue().equals("s3://modelops-artifacts/churn-byom-v1/statistics.json")), evaluateEnv::toString);
    }

    @Test
    void aVersionCreatedAgainUnderTheSameNameDoesNotInheritTheStepsOfTheDeletedOne() {
        Versions.imported("again-v1", "again", Versions.DIGEST, 0.9).automatic("metrics.auc >= 0.8")
                .deployAutomatically().create(client);
        awaitStage(client, "again-v1", Stage.Deployed);
        // Its steps stay after it is deleted (a finalizer holds them), as while the garbage collector is behind.
        List<String> steps = client.resources(ModelJob.class).withLabel("modelops.dev/model-version", "again-v1")
                .list().getItems().stream().map(job -> job.getMetadata().getName()).toList();
        steps.forEach(name -> client.resources(ModelJob.class).withName(name).edit(job -> {
            job.getMetadata().getFinalizers().add("test.modelops.dev/hold");
            return job;
        }));
        client.resources(ModelVersion.class).withName("again-v1").delete();
        await().until(() -> client.resources(ModelVersion.class).withName("again-v1").get() == null
                && steps.stream().allMatch(name -> Versions.job(client, name).getMetadata().getDeletionTimestamp() != null));

        Versions.imported("again-v1", "again", "0".repeat(64), 0.9).create(client);
        await().until(() -> Versions.get(client, "again-v1").getStatus() != null);
        ModelVersion fresh = Versions.get(client, "again-v1");
        assertTrue(List.of(Stage.Registered, Stage.Importing).contains(fresh.getStatus().getStage()),
                "the deleted version's Succeeded steps are not this version's history: " + fresh.getStatus().getStage());

        steps.forEach(name -> client.resources(ModelJob.class).withName(name).edit(job -> {
            job.getMetadata().getFinalizers().remove("test.modelops.dev/hold");
            return job;
        }));
        ModelVersion failed = awaitStage(client, "again-v1", Stage.Failed);
        assertTrue(condition(failed, "Imported").getMessage().contains("0".repeat(64)),
                "its own Import ran, and reported its own digest: " + condition(failed, "Imported").getMessage());
    }

    @Test
    void anImportWhoseDigestDiffersFailsTheStepNamingBothDigests() {
        String other = "0".repeat(64);
        Versions.imported("churn-bad-v1", "churn-bad", other, 0.9).create(client);

        ModelVersion failed = awaitStage(client, "churn-bad-v1", Stage.Failed);
        Condition imported = condition(failed, "Imported");
        assertEquals("Failed", imported.getReason());
        assertTrue(imported.getMessage().contains("churn-bad-v1-import-1") && imported.getMessage().contains(other)
                && imported.getMessage().contains(Versions.DIGEST), imported.getMessage());
        assertEquals("DigestMismatch", condition(Versions.job(client, "churn-bad-v1-import-1"), "Failed").getReason());
    }

    @Test
    void aFailedStepStopsTheWalkAndANewModelJobOfTheStepResumesIt() {
        Versions.trained("retry-v1", "retry", 0.9).trainingFails().create(client);
        ModelVersion failed = awaitStage(client, "retry-v1", Stage.Failed);
        assertTrue(failed.getStatus().getMessage().contains("retry-v1-train-1"), failed.getStatus().getMessage());
        assertCondition(failed, "Ready", ConditionStatus.False, "Failed");
        assertEquals("Degraded", ArgoCdHealth.of("modelversion.lua", failed));
        assertEquals("Degraded", ArgoCdHealth.of("modeljob.lua", Versions.job(client, "retry-v1-train-1")));

        ModelJob retry = new ModelJob();
        retry.getMetadata().setName("retry-v1-train-2");
        retry.setSpec(new dev.modelops.api.v1alpha1.ModelJobSpec());
        retry.getSpec().setType(JobType.Train);
        retry.getSpec().setModelVersion("retry-v1");
        var template = new dev.modelops.api.v1alpha1.ContainerTemplate();
        template.setPodAnnotations(Map.of("sandbox.modelops.dev/duration", "100ms", "sandbox.modelops.dev/exit-code", "0",
                "sandbox.modelops.dev/termination-message", "{\"artifactUri\":\"s3://models/retry/2\"}"));
        retry.getSpec().setTemplate(template);
        client.resource(retry).create();

        ModelVersion resumed = awaitStage(client, "retry-v1", Stage.AwaitingApproval);
        assertEquals("retry-v1-train-2", resumed.getStatus().getJobs().getTrain());
        assertEquals("s3://models/retry/2", resumed.getStatus().getArtifactUri());
        assertEquals(1, client.resources(ModelJob.class).withLabel("modelops.dev/model-version", "retry-v1")
                .withLabel("modelops.dev/job-type", "Evaluate").list().getItems().size(), "one Evaluate");
    }

    static void assertCondition(ModelVersion version, String type, ConditionStatus status, String reason) {
        Condition condition = condition(version, type);
        assertEquals(status, condition.getStatus(), type + ": " + condition.getMessage());
        assertEquals(reason, condition.getReason(), type + ": " + condition.getMessage());
    }

    static Condition condition(ModelVersion version, String type) {
        return Conditions.find(version.getStatus().getConditions(), type).orElseThrow(() -> new AssertionError(
                "no condition " + type + " in " + version.getStatus().getConditions()));
    }

    static Condition condition(ModelJob job, String type) {
        return Conditions.find(job.getStatus().getConditions(), type).orElseThrow();
    }
}
