package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.Condition;
import dev.modelops.api.v1alpha1.ContainerTemplate;
import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.common.Conditions;
import dev.modelops.testing.InjectSandbox;
import dev.modelops.testing.SandboxResource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.modelops.modeljob.ModelJobs.awaitCondition;
import static dev.modelops.modeljob.ModelJobs.get;
import static dev.modelops.modeljob.ModelJobs.modelJob;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a user sees when a container reports nonsense or writes in any script: every such job ends with a reason
 * and a message, and the text that can be kept is kept as written.
 */
@QuarkusTest
@QuarkusTestResource(SandboxResource.class)
class HostileInputTest {

    private static final String VERSION = "hostile-v1";

    @InjectSandbox
    KubernetesClient client;

    @BeforeEach
    void version() {
        ModelJobs.ensureVersion(client, VERSION);
    }

    @Test
    void aTerminationMessageThatIsNotAResultFailsItsJobInvalidResultAndOthersRunOn() {
        Map<String, String> reports = new LinkedHashMap<>();
        reports.put("result-too-long", "{\"metrics\":{\"auc\":0.91},\"statistics\":{\"note\":\"" + "x".repeat(6000)
                + "\"}}");
        reports.put("result-not-json", "auc=0.91");
        reports.put("result-metrics-string", "{\"metrics\":\"auc=0.91\"}");
        reports.put("result-array", "[{\"metrics\":{\"auc\":0.91}}]");
        reports.put("result-null", "null");
        reports.put("result-two-documents", "{\"metrics\":{\"auc\":0.1}}{\"metrics\":{\"auc\":0.9}}");
        reports.put("result-infinite", "{\"metrics\":{\"auc\":1e999}}");
        reports.forEach((name, report) -> modelJob(name, JobType.Evaluate, VERSION).runs("10ms").reports(report)
                .create(client));
        modelJob("result-fine", JobType.Evaluate, VERSION).runs("10ms").reports("{\"metrics\":{\"auc\":0.91}}")
                .create(client);

        assertEquals(0.91, awaitCondition(client, "result-fine", "Complete").getStatus().getResult().getMetrics()
                .get("auc"));
        for (String name : reports.keySet()) {
            ModelJob failed = awaitCondition(client, name, "Failed");
            Condition condition = Conditions.find(failed.getStatus().getConditions(), "Failed").orElseThrow();
            assertEquals("InvalidResult", condition.getReason(), name);
            assertTrue(condition.getMessage().startsWith("the termination message is not a result"),
                    name + ": " + condition.getMessage());
            assertNull(failed.getStatus().getResult(), name);
        }
        ModelJob cut = get(client, "result-too-long");
        String kept = Pods.terminated(client.pods().withName(cut.getStatus().getPodNames().get(0)).get()).orElseThrow()
                .getMessage();
        assertEquals(4096, kept.getBytes(StandardCharsets.UTF_8).length, "a kubelet keeps the last 4096 bytes");
        assertTrue(cut.getStatus().getMessage().endsWith("; it is 4096 bytes, all that Kubernetes keeps of a"
                + " termination message: a longer one loses its beginning"), cut.getStatus().getMessage());
        assertEquals("the termination message is not a result: metric \"auc\" is not a finite number",
                get(client, "result-infinite").getStatus().getMessage());
    }

    @Test
    void unicodeInAnnotationsLogsAndMetricsIsKeptAsWritten() {
        String log = "époque 1 ✓ perte=0,42\n损失 0.1\n🚀 fin\n";
        ModelJob job = modelJob("unicode-run", JobType.Evaluate, VERSION).runs("10ms").logs(log)
                .reports("{\"metrics\":{\"précision\":0.9,\"召回率\":0.8,\"🎯\":1},"
                        + "\"artifactUri\":\"s3://modèles/churn/ü.onnx\"}").build();
        job.getMetadata().setAnnotations(Map.of("description", "Modèle churn — 第三版 🚀"));
        job.getSpec().getTemplate().getPodAnnotations().put("team.example.com/owner", "Zoë Ångström 🧪");
        client.resource(job).create();

        ModelJob done = awaitCondition(client, "unicode-run", "Complete");
        assertEquals(Map.of("précision", 0.9, "召回率", 0.8, "🎯", 1.0),
                done.getStatus().getResult().getMetrics());
        assertEquals("s3://modèles/churn/ü.onnx", done.getStatus().getResult().getArtifactUri());
        assertEquals("Modèle churn — 第三版 🚀", done.getMetadata().getAnnotations().get("description"));
        String pod = done.getStatus().getPodNames().get(0);
        assertEquals("Zoë Ångström 🧪", client.pods().withName(pod).get().getMetadata().getAnnotations()
                .get("team.example.com/owner"));
        ConfigMap logs = client.configMaps().withName(done.getStatus().getLogs().getConfigMap()).get();
        assertEquals(log, logs.getData().get(pod + ".log"));
        await().untilAsserted(() -> assertTrue(events("unicode-run").stream().anyMatch(e -> "Succeeded".equals(
                e.getReason()) && e.getMessage().contains("召回率=0.8") && e.getMessage().contains("🎯=1.0")),
                "the Succeeded Event names the metrics as written"));
    }

    @Test
    void aUnicodeStopReasonIsTheMessageOfTheCancelledJobAndOfItsEvent() {
        modelJob("unicode-stop", JobType.Train, VERSION).runs("60s").create(client);
        await().until(() -> get(client, "unicode-stop").getStatus() != null
                && get(client, "unicode-stop").getStatus().getPhase() == JobPhase.Running);
        String reason = "données erronées 🚫 — 请重新运行";

        client.resources(ModelJob.class).withName("unicode-stop").patch(PatchContext.of(PatchType.JSON_MERGE),
                client.getKubernetesSerialization().asJson(Map.of("spec", Map.of("stop", true, "reason", reason))));

        ModelJob cancelled = awaitCondition(client, "unicode-stop", "Cancelled");
        assertEquals("Stopped: " + reason, cancelled.getStatus().getMessage());
        await().untilAsserted(() -> assertTrue(events("unicode-stop").stream()
                .anyMatch(e -> ("Stopped: " + reason).equals(e.getMessage()))));
    }

    @Test
    void theLastLogLinesOfAFailedJobAreNeverCutInTheMiddleOfACharacter() {
        String line = "🚀".repeat(300);
        modelJob("emoji-fails", JobType.Train, VERSION).runs("10ms").logs((line + "\n").repeat(6)).exits(1)
                .create(client);

        String message = awaitCondition(client, "emoji-fails", "Failed").getStatus().getMessage();
        assertTrue(message.contains(". Last log lines:\n"), message);
        String lines = message.substring(message.indexOf(". Last log lines:\n") + ". Last log lines:\n".length());
        assertTrue(lines.codePoints().allMatch(c -> c == line.codePointAt(0) || c == '\n'),
                "whole characters only: " + lines);
        assertTrue(lines.endsWith(line), lines);
    }

    @Test
    void aPodLabelValueThatKubernetesRefusesFailsTheJobWithTheApiServersMessage() {
        ContainerTemplate template = new ContainerTemplate();
        template.setPodLabels(Map.of("team", "données"));
        modelJob("unicode-label", JobType.Evaluate, VERSION).template(template).create(client);

        Condition failed = Conditions.find(awaitCondition(client, "unicode-label", "Failed").getStatus()
                .getConditions(), "Failed").orElseThrow();
        assertEquals("JobRejected", failed.getReason());
        assertTrue(failed.getMessage().startsWith("the API server refused the Job: ")
                && failed.getMessage().contains("données"), failed.getMessage());
    }

    private List<Event> events(String name) {
        return client.v1().events().withField("involvedObject.name", name).list().getItems();
    }
}
