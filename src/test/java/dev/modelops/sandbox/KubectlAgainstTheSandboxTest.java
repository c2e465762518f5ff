package dev.modelops.sandbox;

import dev.modelops.sandbox.runtime.SandboxClock;
import dev.modelops.sandbox.runtime.SimulatedCluster;
import dev.modelops.sandbox.server.EmbeddedApiServer;
import dev.modelops.testing.Kubectl;
import io.fabric8.kubernetes.api.model.EventBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What a user does with kubectl against the sandbox, with the simulated runtime running the Jobs. */
class KubectlAgainstTheSandboxTest {

    private static EmbeddedApiServer server;
    private static SimulatedCluster cluster;
    private static Kubectl kubectl;

    @TempDir
    static Path home;

    @BeforeAll
    static void start() {
        assumeTrue(Kubectl.onPath(), "kubectl is not on the PATH: the kubectl tests are skipped");
        server = EmbeddedApiServer.start(0);
        cluster = SimulatedCluster.start(server, SandboxClock.system());
        kubectl = new Kubectl(home, server.url());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aJobCreatedWithKubectlRunsAndItsLogsEventsAndYamlCanBeRead() throws Exception {
        Path manifest = home.resolve("job.yaml");
        Files.writeString(manifest, """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: hello}
                spec:
                  backoffLimit: 0
                  template:
                    metadata:
                      annotations:
                        sandbox.modelops.dev/duration: 200ms
                        sandbox.modelops.dev/log: "hello from the sandbox\\n"
                    spec:
                      restartPolicy: Never
                      containers: [{name: main, image: busybox}]
                """);

        assertEquals("job.batch/hello created", kubectl.run("create", "-f", manifest.toString()).trim());
        assertEquals("job.batch/hello condition met",
                kubectl.run("wait", "--for=condition=Complete", "job/hello", "--timeout=30s").trim());

        assertEquals("hello from the sandbox\n", kubectl.run("logs", "job/hello"));
        String pod = kubectl.run("get", "pods", "-l", "job-name=hello", "-o", "jsonpath={.items[0].metadata.name}");
        assertEquals("hello from the sandbox\n", kubectl.run("logs", "pod/" + pod));
        assertTrue(kubectl.run("get", "pod", pod, "-o", "yaml").contains("sandbox.modelops.dev/simulated: \"true\""));
        assertTrue(kubectl.run("get", "pods", pod).matches("(?s)NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE\\s+"
                + pod + "\\s+0/1\\s+Completed\\s+0\\s+\\d+s\\s*"));

        assertEquals("job.batch \"hello\" deleted", kubectl.run("delete", "job", "hello").trim());
        kubectl.run("wait", "--for=delete", "pod/" + pod, "--timeout=30s");
        assertEquals("No resources found in default namespace.", kubectl.run("get", "pods", "-l", "job-name=hello").trim());
    }

    @Test
    void aDeploymentCreatedWithKubectlRollsOutAndGoesWithItsReplicaSetAndPods() throws Exception {
        assertEquals("deployment.apps/web created",
                kubectl.run("create", "deployment", "web", "--image=nginx:1.27", "--replicas=2").trim());

        assertTrue(kubectl.run("rollout", "status", "deployment/web", "--timeout=30s")
                .contains("deployment \"web\" successfully rolled out"));
        assertEquals("deployment.apps/web condition met",
                kubectl.run("wait", "--for=condition=Available", "deployment/web", "--timeout=30s").trim());
        String out = kubectl.run("get", "deploy,rs", "-l", "app=web");
        assertTrue(out.matches("(?s).*deployment\\.apps/web\\s+2/2\\s+2\\s+2\\s+.*"
                + "replicaset\\.apps/web-[a-z0-9]+\\s+2\\s+2\\s+2\\s+.*"), out);

        kubectl.run("delete", "deployment", "web");
        kubectl.run("wait", "--for=delete", "pods", "-l", "app=web", "--timeout=30s");
        assertEquals("No resources found in default namespace.", kubectl.run("get", "rs,pods", "-l", "app=web").trim());
    }

    @Test
    void eventsCanBeListedForOneObject() throws Exception {
        Path manifest = home.resolve("cronjob.yaml");
        Files.writeString(manifest, """
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: every-minute}
                spec:
                  schedule: "* * * * *"
                  jobTemplate:
                    spec:
                      template:
                        spec:
                          restartPolicy: Never
                          containers: [{name: main, image: busybox}]
                """);
        kubectl.run("apply", "-f", manifest.toString());
        recordEvent("CronJob", "every-minute", "Tested", "an event about the cronjob");
        recordEvent("Pod", "other", "Elsewhere", "not about the cronjob");

        String out = kubectl.run("get", "events", "--field-selector", "involvedObject.name=every-minute");

        assertTrue(out.contains("Tested") && out.contains("cronjob/every-minute") && !out.contains("Elsewhere"), out);
    }

    private static void recordEvent(String kind, String name, String reason, String message) {
        server.client().v1().events().resource(new EventBuilder()
                .withNewMetadata().withName(name + "." + reason.toLowerCase()).endMetadata()
                .withNewInvolvedObject().withKind(kind).withName(name).withNamespace("default").endInvolvedObject()
                .withType("Normal").withReason(reason).withMessage(message)
                .withLastTimestamp(Instant.now().toString()).build()).create();
    }
}
