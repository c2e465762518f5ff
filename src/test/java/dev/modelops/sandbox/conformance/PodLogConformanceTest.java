package dev.modelops.sandbox.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelops.testing.Kubectl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code GET /api/v1/namespaces/{ns}/pods/{name}/log} as the API server and the kubelet answer it
 * (pkg/registry/core/pod/rest/log.go, pkg/kubelet/kuberuntime/logs/logs.go, PodLogOptions in
 * staging/src/k8s.io/api/core/v1/types.go).
 */
class PodLogConformanceTest extends RuntimeConformanceBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOG = "epoch 1\nepoch 2\nepoch 3\nepoch 4\n";

    @TempDir
    Path home;

    // pkg/kubelet/kubelet_pods.go validateContainerLogStatus: a waiting container's log is a 400
    @Test
    void theLogOfAWaitingContainerIsABadRequestNamingTheWaitingReason() throws Exception {
        client.pods().resource(pod("queued", Map.of("sandbox.modelops.dev/pending", "10m"))).create();
        await().atMost(WAIT).until(() -> {
            var p = client.pods().withName("queued").get();
            return p.getStatus() != null && p.getStatus().getContainerStatuses() != null
                    && !p.getStatus().getContainerStatuses().isEmpty();
        });

        HttpResponse<String> response = get("/api/v1/namespaces/default/pods/queued/log");

        assertEquals(400, response.statusCode());
        JsonNode status = JSON.readTree(response.body());
        assertEquals("BadRequest", status.path("reason").asText());
        assertEquals("container \"main\" in pod \"queued\" is waiting to start: ContainerCreating",
                status.path("message").asText());
    }

    // kubelet_pods.go validateContainerLogStatus: previous=true with no previous instance is a 400
    @Test
    void previousWithNoRestartedContainerIsABadRequest() throws Exception {
        client.pods().resource(pod("once", Map.of("sandbox.modelops.dev/duration", "1h"))).create();
        running("once");

        HttpResponse<String> response = get("/api/v1/namespaces/default/pods/once/log?previous=true");

        assertEquals(400, response.statusCode());
        assertEquals("previous terminated container \"main\" in pod \"once\" not found",
                JSON.readTree(response.body()).path("message").asText());
    }

    // A container's output appears as it is printed, not when it ends; each line ends with its newline
    @Test
    void linesAppearWhileTheContainerRunsEachEndingWithANewline() {
        client.pods().resource(pod("talker", Map.of("sandbox.modelops.dev/duration", "1h",
                "sandbox.modelops.dev/log", "starting"))).create();
        running("talker");

        await().atMost(WAIT).until(() -> "starting\n".equals(get("/api/v1/namespaces/default/pods/talker/log").body()));
    }

    // PodLogOptions.tailLines: the last n lines; 0 is none
    @Test
    void tailLinesGivesTheLastLinesAndZeroGivesNone() {
        String pod = ended("tail");

        assertEquals("epoch 4\n", get("/api/v1/namespaces/default/pods/" + pod + "/log?tailLines=1").body());
        assertEquals("", get("/api/v1/namespaces/default/pods/" + pod + "/log?tailLines=0").body());
        assertEquals(LOG, get("/api/v1/namespaces/default/pods/" + pod + "/log").body());
    }

    // PodLogOptions.sinceSeconds: only the lines printed in the last n seconds (of four lines over 40 s, one every
    // 10 s from the start)
    @Test
    void sinceSecondsGivesOnlyTheRecentLines() {
        client.pods().resource(pod("recent", Map.of("sandbox.modelops.dev/duration", "1h",
                "sandbox.modelops.dev/log", "a\nb\nc\nd\n"))).create();
        running("recent");
        clock.advance(Duration.ofMinutes(40));
        await().atMost(WAIT).until(() -> get("/api/v1/namespaces/default/pods/recent/log").body().equals("a\nb\nc\n"));

        assertEquals("c\n", get("/api/v1/namespaces/default/pods/recent/log?sinceSeconds=600").body());
    }

    // PodLogOptions.timestamps: each line prefixed with its RFC 3339 time and a space
    @Test
    void timestampsPrefixEachLineWithItsTime() {
        String pod = ended("stamped");

        String[] lines = get("/api/v1/namespaces/default/pods/" + pod + "/log?timestamps=true").body().split("\n");
        assertEquals(4, lines.length);
        for (int i = 0; i < lines.length; i++) {
            String[] parts = lines[i].split(" ", 2);
            Instant.parse(parts[0]);
            assertEquals("epoch " + (i + 1), parts[1]);
        }
    }

    // PodLogOptions.limitBytes: the log cut after that many bytes
    @Test
    void limitBytesCutsTheLog() {
        String pod = ended("limited");

        assertEquals("epoch 1\nep", get("/api/v1/namespaces/default/pods/" + pod + "/log?limitBytes=10").body());
    }

    // kubectl logs job/x: kubectl picks the pod by the Job's spec.selector (controller-uid), so it finds this Job's
    // pod and not another's (staging/src/k8s.io/kubectl/pkg/polymorphichelpers/logsforobject.go)
    @Test
    void kubectlLogsOfAJobReadsThatJobsPod() throws Exception {
        assumeTrue(Kubectl.onPath());
        ended("another", "another job's line\n");
        ended("mine", LOG);
        Kubectl kubectl = new Kubectl(home, server.url());

        assertEquals(LOG, kubectl.run("logs", "job/mine"));
    }

    /** Runs a Job's pod with the four-line log to its end; returns the pod's name. */
    private String ended(String job) {
        return ended(job, LOG);
    }

    private String ended(String job, String log) {
        client.batch().v1().jobs().resource(job(job, Map.of("sandbox.modelops.dev/duration", "40s",
                "sandbox.modelops.dev/log", log)).build()).create();
        String pod = runningPodOf(job).getMetadata().getName();
        clock.advance(Duration.ofSeconds(40));
        await().atMost(WAIT).until(() -> hasCondition(job, "Complete", null));
        return pod;
    }
}
