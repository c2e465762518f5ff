package dev.modelops.modelversion;

import dev.modelops.api.v1alpha1.ConditionStatus;
import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.Stage;
import dev.modelops.testing.InjectSandbox;
import dev.modelops.testing.SandboxResource;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.modelops.modelversion.ModelVersionLifecycleTest.assertCondition;
import static dev.modelops.modelversion.ModelVersionLifecycleTest.condition;
import static dev.modelops.modelversion.Versions.awaitEnded;
import static dev.modelops.modelversion.Versions.awaitStage;
import static dev.modelops.modelversion.Versions.request;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Online mode: a Deployment and Service serve the version; the Deploy ends when it is available, or fails. */
@QuarkusTest
@QuarkusTestResource(SandboxResource.class)
class OnlineServingTest {

    @InjectSandbox
    KubernetesClient client;

    @Test
    void anOnlineDeployIsDeployedOnceItsDeploymentIsAvailableAndARetireRemovesIt() {
        Versions.trained("serve-v1", "serve", 0.9).automatic("metrics.auc >= 0.85").deployAutomatically()
                .online("ghcr.io/acme/churn-serve:1.4.0", Map.of()).create(client);

        ModelVersion deployed = awaitStage(client, "serve-v1", Stage.Deployed);
        assertTrue(deployed.getStatus().getChampion());
        assertEquals(JobPhase.Succeeded, awaitEnded(client, "serve-v1-deploy-1").getStatus().getPhase());
        Deployment deployment = client.apps().deployments().withName("serve-v1-serving").get();
        assertEquals(deployed.getMetadata().getUid(), deployment.getMetadata().getOwnerReferences().get(0).getUid());
        assertEquals(2, deployment.getStatus().getAvailableReplicas());
        var pod = deployment.getSpec().getTemplate().getSpec();
        var container = pod.getContainers().get(0);
        assertEquals("ghcr.io/acme/churn-serve:1.4.0", container.getImage());
        assertEquals(8080, container.getReadinessProbe().getTcpSocket().getPort().getIntVal());
        assertTrue(container.getSecurityContext().getRunAsNonRoot());
        assertFalse(container.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), container.getSecurityContext().getCapabilities().getDrop());
        assertEquals("Always", pod.getRestartPolicy());
        assertTrue(container.getEnv().stream().anyMatch(e -> e.getName().equals("MODELOPS_ARTIFACT_URI")
                && e.getValue().equals("s3://models/serve-v1/model.onnx")), container.getEnv()::toString);
        assertTrue(container.getEnv().stream().anyMatch(e -> e.getName().equals("MODELOPS_PORT")
                && e.getValue().equals("8080")), "the runner's serve listens where the probe looks");
        Service service = client.services().withName("serve-v1-serving").get();
        assertEquals(Map.of("modelops.dev/serving", "serve-v1"), service.getSpec().getSelector());
        assertEquals(8080, service.getSpec().getPorts().get(0).getPort());

        request(client, "serve-v1-retire", JobType.Retire, "serve-v1", "replaced by the batch scorer");
        awaitStage(client, "serve-v1", Stage.Retired);
        await().until(() -> client.apps().deployments().withName("serve-v1-serving").get() == null
                && client.services().withName("serve-v1-serving").get() == null);
    }

    @Test
    void aChangedOnlineSpecRollsTheServingDeploymentAndLeavesTheChampionDeployed() {
        Versions.trained("roll-v1", "roll", 0.9).automatic("metrics.auc >= 0.85").deployAutomatically()
                .online("ghcr.io/acme/churn-serve:1.4.0", Map.of()).create(client);
        awaitStage(client, "roll-v1", Stage.Deployed);
        await().atMost(Duration.ofSeconds(60)).until(() -> client.apps().deployments().withName("roll-v1-serving")
                .get().getStatus().getAvailableReplicas() == 2);

        client.resources(ModelVersion.class).withName("roll-v1").edit(version -> {
            version.getSpec().getDeploy().getOnline().setImage("ghcr.io/acme/churn-serve:1.5.0");
            version.getSpec().getDeploy().getOnline().setReplicas(3);
            version.getSpec().getDeploy().getOnline().setPort(9090);
            return version;
        });

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Deployment deployment = client.apps().deployments().withName("roll-v1-serving").get();
            var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertEquals("ghcr.io/acme/churn-serve:1.5.0", container.getImage());
            assertEquals(3, deployment.getSpec().getReplicas());
            assertEquals(9090, container.getReadinessProbe().getTcpSocket().getPort().getIntVal());
            assertEquals(3, deployment.getStatus().getAvailableReplicas(), "the new pods serve");
            assertEquals(9090, client.services().withName("roll-v1-serving").get().getSpec().getPorts().get(0)
                    .getPort());
        });
        ModelVersion version = Versions.get(client, "roll-v1");
        assertEquals(Stage.Deployed, version.getStatus().getStage());
        assertTrue(version.getStatus().getChampion());
        List<String> updates = client.v1().events().withField("involvedObject.name", "roll-v1").list().getItems()
                .stream().filter(event -> "ServingUpdated".equals(event.getReason())).map(Event::getMessage).toList();
        assertEquals(List.of("Deployment roll-v1-serving changed to spec.deploy.online of generation 2"), updates);
    }

    @Test
    void anOnlineDeployWhoseServerNeverBecomesReadyFailsAfterItsDeadline() {
        Versions.trained("stuck-v1", "stuck", 0.9).automatic("metrics.auc >= 0.85").deployAutomatically()
                .online("ghcr.io/acme/missing:0", Map.of("sandbox.modelops.dev/image-pull-error", "true"))
                .deadline(3).create(client);

        ModelJob deploy = awaitEnded(client, "stuck-v1-deploy-1");
        assertEquals(JobPhase.Failed, deploy.getStatus().getPhase());
        var failed = ModelVersionLifecycleTest.condition(deploy, "Failed");
        assertEquals("DeployFailed", failed.getReason());
        assertTrue(failed.getMessage().contains("Deployment stuck-v1-serving did not become available within 3s"),
                failed.getMessage());
        ModelVersion version = Versions.get(client, "stuck-v1");
        assertEquals(Stage.Approved, version.getStatus().getStage());
        assertCondition(version, "Deployed", ConditionStatus.False, "DeployFailed");
        assertEquals(false, version.getStatus().getChampion());
        assertTrue(condition(version, "Deployed").getMessage().startsWith("Deploy ModelJob stuck-v1-deploy-1 failed"));
        await().until(() -> client.apps().deployments().withName("stuck-v1-serving").get() == null);
    }
}
