package dev.modelops.operator;

import dev.modelops.api.v1alpha1.BatchPrediction;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.Stage;
import dev.modelops.common.Conditions;
import dev.modelops.common.OperatorUserAgent;
import dev.modelops.sandbox.server.EmbeddedApiServer;
import dev.modelops.testing.InjectSandbox;
import dev.modelops.testing.SandboxResource;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One team's objects never reach another's: every reference (a ModelJob's and a BatchPrediction's ModelVersion, a
 * BatchPrediction's model, a model's champion) is resolved in the object's own namespace; a reference in
 * {@code namespace/name} form is refused at admission; a name read from a champion record never goes into a request.
 */
@QuarkusTest
@QuarkusTestResource(SandboxResource.class)
class NamespaceIsolationTest {

    private static final String TEAM_A = "team-a";
    private static final String TEAM_B = "team-b";

    @InjectSandbox
    KubernetesClient client;

    @InjectSandbox
    EmbeddedApiServer server;

    @BeforeEach
    void namespaces() {
        for (String namespace : List.of(TEAM_A, TEAM_B)) {
            if (client.namespaces().withName(namespace).get() == null) {
                client.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                        .create();
            }
        }
    }

    @Test
    void jobsAndPredictionsOfOneNamespaceNeverReachTheVersionsOfAnother() {
        apply(TEAM_A, version("shared-v1", "shared", "Manual", false));
        apply(TEAM_A, version("churn-v1", "churn", "Automatic", true));
        awaitStage(TEAM_A, "shared-v1", Stage.AwaitingApproval);
        awaitStage(TEAM_A, "churn-v1", Stage.Deployed);

        apply(TEAM_B, """
                apiVersion: modelops.dev/v1alpha1
                kind: ModelJob
                metadata: {name: evaluate-shared}
                spec: {type: Evaluate, modelVersion: shared-v1}
                ---
                apiVersion: modelops.dev/v1alpha1
                kind: ModelJob
                metadata: {name: approve-shared}
                spec: {type: Approve, modelVersion: shared-v1, reason: "approved from the wrong namespace"}
                ---
                apiVersion: modelops.dev/v1alpha1
                kind: BatchPrediction
                metadata: {name: follow-churn}
                spec: {model: churn, schedule: "@daily"}
                ---
                apiVersion: modelops.dev/v1alpha1
                kind: BatchPrediction
                metadata: {name: pin-churn}
                spec: {modelVersion: churn-v1, schedule: "@daily"}
                """);

        for (String job : List.of("evaluate-shared", "approve-shared")) {
            await().until(() -> startedReason(TEAM_B, job) != null);
            assertEquals("ModelVersionNotFound", startedReason(TEAM_B, job));
            assertTrue(get(ModelJob.class, TEAM_B, job).getStatus().getMessage().startsWith(
                    "ModelVersion shared-v1 does not exist in namespace team-b"));
        }
        await().until(() -> readyReason("follow-churn") != null && readyReason("pin-churn") != null);
        assertEquals("NoDeployedVersion", readyReason("follow-churn"));
        assertEquals("model churn has no deployed version; the CronJob is suspended until one is deployed",
                get(BatchPrediction.class, TEAM_B, "follow-churn").getStatus().getMessage());
        assertEquals("NoDeployedVersion", readyReason("pin-churn"));
        assertEquals(List.of(), client.batch().v1().cronjobs().inNamespace(TEAM_B).list().getItems());
        assertEquals(List.of(), client.batch().v1().jobs().inNamespace(TEAM_B).list().getItems());
        assertNull(client.batch().v1().jobs().inNamespace(TEAM_A).withName("evaluate-shared").get());
        ModelVersion shared = get(ModelVersion.class, TEAM_A, "shared-v1");
        assertEquals(Stage.AwaitingApproval, shared.getStatus().getStage(), "team-b's Approve did not reach it");
        assertNull(shared.getStatus().getApproval());
    }

    @Test
    void aReferenceInNamespaceSlashNameFormIsRefusedAtAdmission() {
        for (String manifest : List.of("""
                apiVersion: modelops.dev/v1alpha1
                kind: ModelJob
                metadata: {name: evaluate-other}
                spec: {type: Evaluate, modelVersion: team-a/shared-v1}
                """, """
                apiVersion: modelops.dev/v1alpha1
                kind: BatchPrediction
                metadata: {name: pin-other}
                spec: {modelVersion: team-a/churn-v1, schedule: "@daily"}
                """, """
                apiVersion: modelops.dev/v1alpha1
                kind: BatchPrediction
                metadata: {name: follow-other}
                spec: {model: team-a/churn, schedule: "@daily"}
                """)) {
            var refused = assertThrows(KubernetesClientException.class, () -> apply(TEAM_B, manifest));
            assertEquals(422, refused.getCode());
            assertTrue(refused.getStatus().getMessage().contains("in the same namespace"),
                    refused.getStatus().getMessage());
        }
    }

    @Test
    void eachNamespaceHasItsOwnChampionAndAChampionRecordCannotPointOutOfItsNamespace() {
        apply(TEAM_A, version("fraud-v1", "fraud", "Automatic", true));
        awaitStage(TEAM_A, "fraud-v1", Stage.Deployed);
        // A person edits team-b's record of model fraud to name team-a's version by a path.
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("modelops-champion-fraud")
                .withNamespace(TEAM_B).addToLabels("modelops.dev/champion-of", "fraud")
                .addToLabels("modelops.dev/model", "fraud").endMetadata()
                .addToData("champion", "../../team-a/modelversions/fraud-v1").build()).create();

        apply(TEAM_B, version("fraud-v2", "fraud", "Automatic", true));

        ModelVersion teamB = awaitStage(TEAM_B, "fraud-v2", Stage.Deployed);
        assertTrue(teamB.getStatus().getChampion());
        assertEquals("fraud-v2", client.configMaps().inNamespace(TEAM_B).withName("modelops-champion-fraud").get()
                .getData().get("champion"));
        ModelVersion teamA = get(ModelVersion.class, TEAM_A, "fraud-v1");
        assertEquals(Stage.Deployed, teamA.getStatus().getStage(), "team-b's new champion retires nothing of team-a");
        assertTrue(teamA.getStatus().getChampion());
        assertEquals("fraud-v1", client.configMaps().inNamespace(TEAM_A).withName("modelops-champion-fraud").get()
                .getData().get("champion"));
        assertEquals(List.of(), server.requests().snapshot(OperatorUserAgent.PRODUCT).counts().keySet().stream()
                .filter(request -> request.contains("..")).toList(), "no name read from a record reached a path");
    }

    /** A trained version whose simulated steps report an artifact and an auc of 0.9. */
    private static String version(String name, String model, String approval, boolean deploy) {
        return """
                apiVersion: modelops.dev/v1alpha1
                kind: ModelVersion
                metadata: {name: %s}
                spec:
                  model: %s
                  version: "1"
                  source:
                    train:
                      image: ghcr.io/acme/train:1
                      podAnnotations:
                        sandbox.modelops.dev/duration: 10ms
                        sandbox.modelops.dev/termination-message: '{"artifactUri":"s3://models/%1$s/model.onnx"}'
                  evaluate:
                    image: ghcr.io/acme/evaluate:1
                    podAnnotations:
                      sandbox.modelops.dev/duration: 10ms
                      sandbox.modelops.dev/termination-message: '{"metrics":{"auc":0.9}}'
                  approval: {mode: %s, gates: ["metrics.auc >= 0.8"]}
                  deploy: {mode: Batch, automatic: %s}
                """.formatted(name, model, approval, deploy);
    }

    private void apply(String namespace, String yaml) {
        client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).inNamespace(namespace).create();
    }

    private <T extends HasMetadata> T get(Class<T> kind, String namespace, String name) {
        return client.resources(kind).inNamespace(namespace).withName(name).get();
    }

    private ModelVersion awaitStage(String namespace, String name, Stage stage) {
        await().atMost(Duration.ofMinutes(1)).until(() -> {
            ModelVersion version = get(ModelVersion.class, namespace, name);
            return version != null && version.getStatus() != null && version.getStatus().getStage() == stage;
        });
        return get(ModelVersion.class, namespace, name);
    }

    private String startedReason(String namespace, String name) {
        ModelJob job = get(ModelJob.class, namespace, name);
        return job == null || job.getStatus() == null ? null
                : Conditions.find(job.getStatus().getConditions(), "Started").map(c -> c.getReason()).orElse(null);
    }

    private String readyReason(String name) {
        BatchPrediction prediction = get(BatchPrediction.class, TEAM_B, name);
        return prediction == null || prediction.getStatus() == null ? null
                : Conditions.find(prediction.getStatus().getConditions(), "Ready").map(c -> c.getReason()).orElse(null);
    }
}
