package dev.modelops.sandbox.runtime;

import dev.modelops.testing.SimulatedClusterTest;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeploymentControllerTest extends SimulatedClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aDeploymentOfTwoReplicasBecomesAvailableWithTwoReadyPodsOfOneReplicaSet() {
        Deployment created = client.apps().deployments().resource(deployment("serve", 2, Map.of()).build()).create();

        await().atMost(WAIT).until(() -> hasCondition("serve", "Progressing", "True", "NewReplicaSetAvailable"));
        Deployment deployment = deployment("serve");
        ReplicaSet rs = only(replicaSetsOf("serve"));
        String hash = rs.getMetadata().getLabels().get("pod-template-hash");
        assertEquals("serve-" + hash, rs.getMetadata().getName());
        assertTrue(hash.matches("[a-z0-9]+"), hash);
        assertEquals(Map.of("app", "serve", "pod-template-hash", hash), rs.getSpec().getSelector().getMatchLabels());
        assertEquals(hash, rs.getSpec().getTemplate().getMetadata().getLabels().get("pod-template-hash"));
        assertControlledBy(created.getMetadata().getUid(), "Deployment", rs.getMetadata().getOwnerReferences());
        assertEquals("1", rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"));
        assertEquals("1", deployment.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"));

        List<Pod> pods = podsOfDeployment("serve");
        assertEquals(2, pods.size());
        for (Pod pod : pods) {
            assertTrue(pod.getMetadata().getName().matches("serve-" + hash + "-[a-z0-9]{5}"),
                    pod.getMetadata().getName());
            assertControlledBy(rs.getMetadata().getUid(), "ReplicaSet", pod.getMetadata().getOwnerReferences());
            assertEquals("Running", phase(pod));
            assertTrue(podCondition(pod, "Ready") && podCondition(pod, "ContainersReady"));
        }

        assertEquals(1L, deployment.getStatus().getObservedGeneration());
        assertEquals(2, deployment.getStatus().getReplicas());
        assertEquals(2, deployment.getStatus().getUpdatedReplicas());
        assertEquals(2, deployment.getStatus().getReadyReplicas());
        assertEquals(2, deployment.getStatus().getAvailableReplicas());
        assertNull(deployment.getStatus().getUnavailableReplicas());
        DeploymentCondition available = condition(deployment, "Available").orElseThrow();
        assertEquals("True", available.getStatus());
        assertEquals("MinimumReplicasAvailable", available.getReason());
        assertEquals("Deployment has minimum availability.", available.getMessage());
        assertEquals("ReplicaSet \"" + rs.getMetadata().getName() + "\" has successfully progressed.",
                condition(deployment, "Progressing").orElseThrow().getMessage());
        assertEquals(List.of("Available", "Progressing"),
                deployment.getStatus().getConditions().stream().map(DeploymentCondition::getType).toList());
        assertTrue(eventsAbout("serve").contains("ScalingReplicaSet: Scaled up replica set "
                + rs.getMetadata().getName() + " from 0 to 2"), eventsAbout("serve").toString());
        assertTrue(eventsAbout(rs.getMetadata().getName()).contains("SuccessfulCreate: Created pod: "
                + pods.get(0).getMetadata().getName()), eventsAbout(rs.getMetadata().getName()).toString());
        assertTrue(eventsAbout(pods.get(0).getMetadata().getName()).contains("Started: Started container main"));

        // a server runs until it is stopped
        clock.advance(Duration.ofHours(1));

        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> podsOfDeployment("serve").stream()
                .allMatch(pod -> "Running".equals(phase(pod)) && podCondition(pod, "Ready")
                        && pod.getStatus().getContainerStatuses().get(0).getRestartCount() == 0));
        assertEquals(2, deployment("serve").getStatus().getAvailableReplicas());
    }

    @Test
    void aDeploymentWhosePodsCannotPullTheirImageExceedsItsProgressDeadline() {
        client.apps().deployments().resource(deployment("unpullable", 2,
                Map.of("sandbox.modelops.dev/image-pull-error", "true")).build()).create();
        assertEquals(600, deployment("unpullable").getSpec().getProgressDeadlineSeconds());

        await().atMost(WAIT).until(() -> hasCondition("unpullable", "Progressing", "True", "ReplicaSetUpdated")
                && Integer.valueOf(2).equals(deployment("unpullable").getStatus().getUpdatedReplicas())
                && podsOfDeployment("unpullable").stream().allMatch(pod -> "ImagePullBackOff".equals(waiting(pod))));
        assertTrue(hasCondition("unpullable", "Available", "False", "MinimumReplicasUnavailable"));
        assertEquals(2, deployment("unpullable").getStatus().getUnavailableReplicas());

        clock.advance(Duration.ofSeconds(599));
        await().during(Duration.ofMillis(300)).atMost(WAIT)
                .until(() -> hasCondition("unpullable", "Progressing", "True", "ReplicaSetUpdated"));
        clock.advance(Duration.ofSeconds(2));

        await().atMost(WAIT)
                .until(() -> hasCondition("unpullable", "Progressing", "False", "ProgressDeadlineExceeded"));
        Deployment deployment = deployment("unpullable");
        assertEquals("ReplicaSet \"" + only(replicaSetsOf("unpullable")).getMetadata().getName()
                + "\" has timed out progressing.", condition(deployment, "Progressing").orElseThrow().getMessage());
        assertTrue(hasCondition("unpullable", "Available", "False", "MinimumReplicasUnavailable"));
        assertNull(deployment.getStatus().getAvailableReplicas());
        assertTrue(podsOfDeployment("unpullable").stream().noneMatch(pod -> podCondition(pod, "Ready")));
    }

    @Test
    void scalingToZeroDeletesThePods() {
        client.apps().deployments().resource(deployment("shrinking", 2, Map.of()).build()).create();
        await().atMost(WAIT).until(() -> hasCondition("shrinking", "Available", "True", "MinimumReplicasAvailable")
                && podsOfDeployment("shrinking").size() == 2);
        String rs = only(replicaSetsOf("shrinking")).getMetadata().getName();

        client.apps().deployments().withName("shrinking").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"replicas\":0}}");

        await().atMost(WAIT).until(() -> podsOfDeployment("shrinking").isEmpty()
                && deployment("shrinking").getStatus().getReplicas() == null);
        assertEquals(0, only(replicaSetsOf("shrinking")).getSpec().getReplicas());
        assertEquals(2L, deployment("shrinking").getStatus().getObservedGeneration());
        assertTrue(hasCondition("shrinking", "Available", "True", "MinimumReplicasAvailable"));
        assertTrue(eventsAbout("shrinking").contains("ScalingReplicaSet: Scaled down replica set " + rs
                + " from 2 to 0"), eventsAbout("shrinking").toString());
    }

    @Test
    void deletingTheDeploymentDeletesItsReplicaSetAndPods() {
        client.apps().deployments().resource(deployment("doomed", 2, Map.of()).build()).create();
        await().atMost(WAIT).until(() -> podsOfDeployment("doomed").size() == 2);

        client.apps().deployments().withName("doomed").delete();

        await().atMost(Duration.ofSeconds(15)).until(() -> replicaSetsOf("doomed").isEmpty()
                && podsOfDeployment("doomed").isEmpty());
    }

    @Test
    void aNewTemplateRollsOutANewReplicaSetAndTheOldOneGoesToZero() {
        client.apps().deployments().resource(deployment("rolling", 2, Map.of()).build()).create();
        await().atMost(WAIT).until(() -> hasCondition("rolling", "Progressing", "True", "NewReplicaSetAvailable"));
        String first = only(replicaSetsOf("rolling")).getMetadata().getName();

        client.apps().deployments().withName("rolling").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"server:2\"}]}}}}");

        await().atMost(WAIT).until(() -> replicaSetsOf("rolling").size() == 2
                && hasCondition("rolling", "Progressing", "True", "NewReplicaSetAvailable")
                && podsOfDeployment("rolling").size() == 2);
        ReplicaSet old = replicaSetsOf("rolling").stream().filter(rs -> rs.getMetadata().getName().equals(first))
                .findFirst().orElseThrow();
        ReplicaSet next = replicaSetsOf("rolling").stream().filter(rs -> !rs.getMetadata().getName().equals(first))
                .findFirst().orElseThrow();
        assertEquals(0, old.getSpec().getReplicas());
        assertEquals(2, next.getSpec().getReplicas());
        assertEquals(2, next.getStatus().getAvailableReplicas());
        assertEquals("server:2", next.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        assertEquals("2", next.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"));
        assertEquals("2", deployment("rolling").getMetadata().getAnnotations()
                .get("deployment.kubernetes.io/revision"));
        assertTrue(podsOfDeployment("rolling").stream().allMatch(pod -> pod.getMetadata().getName()
                .startsWith(next.getMetadata().getName() + "-")));
        Deployment deployment = deployment("rolling");
        assertEquals(2, deployment.getStatus().getUpdatedReplicas());
        assertEquals("ReplicaSet \"" + next.getMetadata().getName() + "\" has successfully progressed.",
                condition(deployment, "Progressing").orElseThrow().getMessage());
        // maxSurge 25% of 2 is 1 pod, maxUnavailable 0: one new pod at a time, an old one going once it is available
        assertTrue(eventsAbout("rolling").containsAll(List.of(
                "ScalingReplicaSet: Scaled up replica set " + next.getMetadata().getName() + " from 0 to 1",
                "ScalingReplicaSet: Scaled down replica set " + first + " from 2 to 1",
                "ScalingReplicaSet: Scaled up replica set " + next.getMetadata().getName() + " from 1 to 2",
                "ScalingReplicaSet: Scaled down replica set " + first + " from 1 to 0")),
                eventsAbout("rolling").toString());
    }

    @Test
    void aRecreateDeploymentStartsTheNewPodsOnceTheOldOnesAreGone() {
        client.apps().deployments().resource(deployment("recreated", 2, Map.of())
                .editSpec().withNewStrategy().withType("Recreate").endStrategy().endSpec().build()).create();
        await().atMost(WAIT).until(() -> hasCondition("recreated", "Progressing", "True", "NewReplicaSetAvailable"));
        String first = only(replicaSetsOf("recreated")).getMetadata().getName();

        client.apps().deployments().withName("recreated").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"version\":\"2\"}}}}}");

        await().atMost(WAIT).until(() -> replicaSetsOf("recreated").size() == 2
                && hasCondition("recreated", "Progressing", "True", "NewReplicaSetAvailable")
                && podsOfDeployment("recreated").size() == 2);
        assertTrue(podsOfDeployment("recreated").stream().noneMatch(pod -> pod.getMetadata().getName()
                .startsWith(first + "-")));
        assertTrue(eventsAbout("recreated").contains("ScalingReplicaSet: Scaled down replica set " + first
                + " from 2 to 0"), eventsAbout("recreated").toString());
    }

    private static DeploymentBuilder deployment(String name, int replicas, Map<String, String> podAnnotations) {
        return new DeploymentBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate()
                .withNewMetadata().addToLabels("app", name).withAnnotations(podAnnotations).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("server:1").endContainer().endSpec()
                .endTemplate().endSpec();
    }

    private Deployment deployment(String name) {
        return client.apps().deployments().withName(name).get();
    }

    private List<ReplicaSet> replicaSetsOf(String deployment) {
        return client.apps().replicaSets().withLabel("app", deployment).list().getItems();
    }

    private List<Pod> podsOfDeployment(String deployment) {
        return client.pods().withLabel("app", deployment).list().getItems();
    }

    private boolean hasCondition(String deployment, String type, String status, String reason) {
        Deployment d = deployment(deployment);
        return d != null && d.getStatus() != null && condition(d, type)
                .filter(c -> c.getStatus().equals(status) && c.getReason().equals(reason)).isPresent();
    }

    private static Optional<DeploymentCondition> condition(Deployment deployment, String type) {
        return deployment.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst();
    }

    private static boolean podCondition(Pod pod, String type) {
        return pod.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals(type)
                && c.getStatus().equals("True"));
    }

    private static String waiting(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
                || pod.getStatus().getContainerStatuses().isEmpty()
                || pod.getStatus().getContainerStatuses().get(0).getState().getWaiting() == null ? null
                : pod.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason();
    }

    /** The Events about the named object, as {@code reason: message}. */
    private List<String> eventsAbout(String name) {
        return client.v1().events().list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()))
                .map((Event e) -> e.getReason() + ": " + e.getMessage()).toList();
    }

    private static void assertControlledBy(String uid, String kind, List<OwnerReference> owners) {
        assertEquals(1, owners.size(), owners.toString());
        assertEquals(uid, owners.get(0).getUid());
        assertEquals(kind, owners.get(0).getKind());
        assertTrue(owners.get(0).getController());
        assertTrue(owners.get(0).getBlockOwnerDeletion());
    }

    private static <T> T only(List<T> items) {
        assertEquals(1, items.size(), items.toString());
        return items.get(0);
    }
}
