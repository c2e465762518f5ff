package dev.modelops.sandbox.runtime;

import dev.modelops.testing.ProcessClusterTest;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pods of the runner image run as real local processes ({@link FakeRunner}); other images stay simulated. */
class ProcessContainerRuntimeTest extends ProcessClusterTest {

    /** A JVM starts in about a second, more on a busy machine. */
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Override
    protected String mainClass() {
        return FakeRunner.class.getName();
    }

    @Test
    void aJobOfTheRunnerImageEndsWithTheProcessExitItsLogAndItsTerminationMessage() {
        client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("inputs").endMetadata()
                .addToData("dataset", "file:///data/iris.csv").build()).create();
        create(runnerJob("score", 0, List.of(env("FAKE_LOG", "loading|scoring|done"),
                env("FAKE_MESSAGE", "{\"metrics\":{\"auc\":0.91}}"),
                env("FAKE_PRINT_ENV", "MODELOPS_MODEL,MODELOPS_DATASET_URI,POD_NAME,MODELOPS_SANDBOX_DATA"),
                env("MODELOPS_MODEL", "iris"),
                new EnvVarBuilder().withName("MODELOPS_DATASET_URI").withNewValueFrom().withNewConfigMapKeyRef()
                        .withName("inputs").withKey("dataset").endConfigMapKeyRef().endValueFrom().build(),
                new EnvVarBuilder().withName("POD_NAME").withNewValueFrom().withNewFieldRef()
                        .withFieldPath("metadata.name").endFieldRef().endValueFrom().build())));

        await().atMost(WAIT).until(() -> hasCondition("score", "Complete", null));

        Pod pod = podsOf("score").get(0);
        ContainerStateTerminated terminated = terminated(pod);
        assertEquals(0, terminated.getExitCode());
        assertEquals("Completed", terminated.getReason());
        assertEquals("{\"metrics\":{\"auc\":0.91}}", terminated.getMessage());
        assertEquals("command score\nMODELOPS_MODEL=iris\nMODELOPS_DATASET_URI=file:///data/iris.csv\n"
                + "POD_NAME=" + pod.getMetadata().getName() + "\nMODELOPS_SANDBOX_DATA=" + data.toAbsolutePath()
                + "\nloading\nscoring\ndone\n", client.pods().withName(pod.getMetadata().getName()).getLog());
        assertNull(pod.getMetadata().getAnnotations().get(ProcessContainerRuntime.LOCAL_PORT));
        assertTrue(pod.getMetadata().getAnnotations().get(Kubelet.SIMULATED).contains("local process"));
    }

    @Test
    void aFailingRunnerEndsTheJobFailedWithItsExitCodeAndMessage() {
        create(runnerJob("broken", 0, List.of(env("FAKE_EXIT", "3"), env("FAKE_STDERR", "no such dataset"),
                env("FAKE_MESSAGE", "{\"error\":\"no such dataset\"}"))));

        await().atMost(WAIT).until(() -> hasCondition("broken", "Failed", null));

        Pod pod = podsOf("broken").get(0);
        assertEquals("Failed", phase(pod));
        assertEquals(3, terminated(pod).getExitCode());
        assertEquals("Error", terminated(pod).getReason());
        assertEquals("{\"error\":\"no such dataset\"}", terminated(pod).getMessage());
        assertTrue(client.pods().withName(pod.getMetadata().getName()).getLog().contains("no such dataset\n"));
    }

    @Test
    void fallbackToLogsOnErrorMakesTheLogsEndTheMessageOfAFailureThatWroteNone() {
        create(new JobBuilder(runnerJob("silent", 0, List.of(env("FAKE_EXIT", "2"), env("FAKE_LOG", "oops"))))
                .editSpec().editTemplate().editSpec().editFirstContainer()
                .withTerminationMessagePolicy("FallbackToLogsOnError").endContainer().endSpec().endTemplate().endSpec()
                .build());

        await().atMost(WAIT).until(() -> hasCondition("silent", "Failed", null));

        assertEquals("command silent\noops\n", terminated(podsOf("silent").get(0)).getMessage());
    }

    @Test
    void followingTheLogStreamsTheLinesAsTheProcessPrintsThem() throws Exception {
        create(runnerJob("follow", 0, List.of(env("FAKE_HOLD", "true"), env("FAKE_LOG", "epoch 1"))));
        await().atMost(WAIT).until(() -> podsOf("follow").size() == 1 && "Running".equals(phase(podsOf("follow").get(0))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        try (LogWatch follow = client.pods().withName(podsOf("follow").get(0).getMetadata().getName()).watchLog(out)) {
            await().atMost(WAIT).until(() -> out.toString(StandardCharsets.UTF_8).contains("holding\n"));
        }
        assertEquals("command follow\nepoch 1\nholding\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aDeletedRunnerGetsSigtermAndEndsWithinItsGracePeriod() {
        create(runnerJob("polite", 30, List.of(env("FAKE_HOLD", "true"))));

        ContainerStateTerminated terminated = deleteWhenItHolds("polite", Duration.ZERO);

        assertEquals(143, terminated.getExitCode());
        assertEquals("stopped by SIGTERM", terminated.getMessage());
    }

    @Test
    void aRunnerThatIgnoresSigtermIsKilledAtTheEndOfTheGracePeriod() {
        create(runnerJob("stubborn", 30, List.of(env("FAKE_IGNORE_SIGTERM", "true"))));

        ContainerStateTerminated terminated = deleteWhenItHolds("stubborn", Duration.ofSeconds(30));

        assertEquals(137, terminated.getExitCode());
    }

    @Test
    void anOnlineRunnerListensOnALocalPortAndIsReadyOnceItAcceptsConnections() throws Exception {
        client.apps().deployments().resource(new DeploymentBuilder().withNewMetadata().withName("online").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "online").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "online").endMetadata().withNewSpec()
                .addNewContainer().withName("main").withImage(RUNNER).withArgs("serve")
                // as the operator's serving pods have it: the sandbox's local port must win over the container's
                .addNewEnv().withName("MODELOPS_PORT").withValue("8080").endEnv()
                .addNewPort().withName("http").withContainerPort(8080).endPort()
                .withNewReadinessProbe().withNewTcpSocket().withPort(new IntOrString(8080)).endTcpSocket()
                .endReadinessProbe().endContainer().endSpec().endTemplate().endSpec().build()).create();

        await().atMost(WAIT).until(() -> servingPod() != null && ready(servingPod()));

        String port = servingPod().getMetadata().getAnnotations().get(ProcessContainerRuntime.LOCAL_PORT);
        assertNotNull(port);
        assertNotEquals("8080", port, "the process listens on the sandbox's free port, not the container's env");
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("{\"served\":\"fake\"}", answer.body());
        assertEquals(0, servingPod().getStatus().getContainerStatuses().get(0).getRestartCount());
        await().atMost(WAIT).until(() -> client.apps().deployments().withName("online").get().getStatus()
                .getReadyReplicas() != null);
    }

    @Test
    void aPodOfAnotherImageStaysSimulated() {
        create(job("simulated", Map.of("sandbox.modelops.dev/duration", "0s",
                "sandbox.modelops.dev/log", "pretending\n")).build());

        await().atMost(WAIT).until(() -> hasCondition("simulated", "Complete", null));

        Pod pod = podsOf("simulated").get(0);
        assertEquals("pretending\n", client.pods().withName(pod.getMetadata().getName()).getLog());
        assertFalse(pod.getMetadata().getAnnotations().get(Kubelet.SIMULATED).contains("local process"));
    }

    private ContainerStateTerminated deleteWhenItHolds(String job, Duration advance) {
        await().atMost(WAIT).until(() -> podsOf(job).size() == 1 && "Running".equals(phase(podsOf(job).get(0)))
                && client.pods().withName(podsOf(job).get(0).getMetadata().getName()).getLog().contains("holding"));
        String name = podsOf(job).get(0).getMetadata().getName();
        AtomicReference<ContainerStateTerminated> last = new AtomicReference<>();
        try (var watch = client.pods().withName(name).watch(new Watcher<Pod>() {
            @Override
            public void eventReceived(Action action, Pod p) {
                if (p.getStatus().getContainerStatuses().get(0).getState().getTerminated() != null) {
                    last.set(terminated(p));
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            client.pods().withName(name).delete();
            if (!advance.isZero()) {
                // it ignores SIGTERM: still there until the grace period has passed on the sandbox clock
                await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> client.pods().withName(name).get() != null);
                clock.advance(advance);
            }
            await().atMost(WAIT).until(() -> client.pods().withName(name).get() == null && last.get() != null);
            return last.get();
        }
    }

    private Pod servingPod() {
        List<Pod> pods = client.pods().withLabel("app", "online").list().getItems();
        return pods.isEmpty() ? null : pods.get(0);
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
                .stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    private static ContainerStateTerminated terminated(Pod pod) {
        return pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
    }

    private static EnvVar env(String name, String value) {
        return new EnvVar(name, value, null);
    }

    /** A Job of one pod of the runner image, whose command is the Job's name. */
    private static io.fabric8.kubernetes.api.model.batch.v1.Job runnerJob(String name, long graceSeconds,
            List<EnvVar> env) {
        return new JobBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withBackoffLimit(0).withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .withTerminationGracePeriodSeconds(graceSeconds == 0 ? null : graceSeconds)
                .addNewContainer().withName("main").withImage(RUNNER).withArgs(name).withEnv(new ArrayList<>(env))
                .endContainer().endSpec().endTemplate().endSpec().build();
    }
}
