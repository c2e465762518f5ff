package dev.modelops.modeljob;

import dev.modelops.sandbox.server.EmbeddedApiServer;
import dev.modelops.testing.InjectSandbox;
import dev.modelops.testing.Kubectl;
import dev.modelops.testing.SandboxResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The README's story of a ModelJob, told with kubectl alone against the operator and the sandbox. */
@QuarkusTest
@QuarkusTestResource(SandboxResource.class)
class KubectlStoryTest {

    @InjectSandbox
    EmbeddedApiServer server;

    @InjectSandbox
    KubernetesClient client;

    @Test
    void applyWaitLogsAndEventsTellTheWholeStoryAndTheLogsOutliveThePods(@TempDir Path home) throws Exception {
        assumeTrue(Kubectl.onPath(), "kubectl is not on the PATH");
        Kubectl kubectl = new Kubectl(home, server.url());
        // the examples' names, in a namespace away from the other tests' objects
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("story").endMetadata().build())
                .create();
        kubectl.run("config", "set-context", "--current", "--namespace=story");
        kubectl.run("apply", "-f", "examples/train/modelversion.yaml");
        assertEquals("modeljob.modelops.dev/churn-v3-evaluate-adhoc-1 created",
                kubectl.run("apply", "-f", "examples/jobs/evaluate.yaml").trim());

        assertEquals("modeljob.modelops.dev/churn-v3-evaluate-adhoc-1 condition met", kubectl.run("wait",
                "--for=condition=Complete", "mj/churn-v3-evaluate-adhoc-1", "--timeout=30s").trim());
        assertEquals("{\"auc\":0.89,\"precision\":0.82,\"recall\":0.75}", kubectl.run("get", "mj",
                "churn-v3-evaluate-adhoc-1", "-o", "jsonpath={.status.result.metrics}"));
        String logs = kubectl.run("logs", "job/churn-v3-evaluate-adhoc-1");
        assertEquals("scoring 21000 held-out rows\nauc=0.89 precision=0.82 recall=0.75\n", logs);
        await().until(() -> client.v1().events().inNamespace("story")
                .withField("involvedObject.name", "churn-v3-evaluate-adhoc-1").withField("involvedObject.kind", "ModelJob")
                .list().getItems().size() == 5);
        String events = kubectl.run("get", "events", "--field-selector",
                "involvedObject.name=churn-v3-evaluate-adhoc-1,involvedObject.kind=ModelJob", "-o",
                "custom-columns=REASON:.reason", "--no-headers");
        assertEquals("Created\nJobCreated\nPodScheduled\nStarted\nSucceeded\n", events.lines().sorted(
                (a, b) -> order(a) - order(b)).map(line -> line + "\n").reduce("", String::concat));

        kubectl.run("delete", "pods", "-l", "modelops.dev/model-job=churn-v3-evaluate-adhoc-1", "--wait=false");
        await().until(() -> client.pods().inNamespace("story").withLabel("modelops.dev/model-job", "churn-v3-evaluate-adhoc-1").list()
                .getItems().stream().allMatch(Pod::isMarkedForDeletion) || client.pods().inNamespace("story")
                .withLabel("modelops.dev/model-job", "churn-v3-evaluate-adhoc-1").list().getItems().isEmpty());
        String kept = kubectl.run("get", "configmap", "churn-v3-evaluate-adhoc-1-logs", "-o", "jsonpath={.data}");
        assertTrue(kept.contains("auc=0.89 precision=0.82 recall=0.75"), kept);
    }

    private static int order(String reason) {
        return java.util.List.of("Created", "JobCreated", "PodScheduled", "Started", "Succeeded").indexOf(reason);
    }
}
