package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.BatchPrediction;
import dev.modelops.api.v1alpha1.ContainerTemplate;
import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.Stage;
import dev.modelops.common.Conditions;
import dev.modelops.testing.InjectSandbox;
import dev.modelops.testing.SandboxResource;
import dev.modelops.workload.PodSecurityStandard;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static dev.modelops.modeljob.ModelJobs.awaitCondition;
import static dev.modelops.modeljob.ModelJobs.modelJob;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whoever may create ModelJobs, ModelVersions or BatchPredictions gets pods that meet Pod Security "restricted"
 * ({@link PodSecurityStandard}), refined at most up to the operator's pod security level; a template that relaxes
 * restricted runs, and the resource it belongs to says which field in a Warning Event.
 */
@QuarkusTest
@QuarkusTestResource(SandboxResource.class)
class PodSecurityTest {

    @InjectSandbox
    KubernetesClient client;

    @BeforeEach
    void version() {
        ModelJobs.ensureVersion(client, "churn-v3");
    }

    @Test
    void aTemplateThatSetsItsUserKeepsEveryOtherRestriction() {
        modelJob("sec-user", JobType.Evaluate, "churn-v3").runs("10ms")
                .template(template(new SecurityContextBuilder().withRunAsUser(1000L).build(), null)).create(client);
        awaitCondition(client, "sec-user", "Complete");

        var pod = client.batch().v1().jobs().withName("sec-user").get().getSpec().getTemplate().getSpec();
        SecurityContext context = pod.getContainers().get(0).getSecurityContext();
        assertEquals(1000L, context.getRunAsUser());
        assertTrue(context.getRunAsNonRoot());
        assertFalse(context.getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), context.getCapabilities().getDrop());
        assertFalse(pod.getAutomountServiceAccountToken(), "a job that names no account gets no API token");
    }

    @Test
    void aPrivilegedTemplateIsRefusedNamingTheFieldAndTheSetting() {
        modelJob("sec-privileged", JobType.Evaluate, "churn-v3")
                .template(template(new SecurityContextBuilder().withPrivileged(true).build(), null)).create(client);

        ModelJob failed = awaitCondition(client, "sec-privileged", "Failed");
        var condition = Conditions.find(failed.getStatus().getConditions(), "Failed").orElseThrow();
        assertEquals("PodSecurityExceeded", condition.getReason());
        assertTrue(condition.getMessage().startsWith("spec.template.securityContext.privileged: true is beyond the Pod"
                + " Security level baseline") && condition.getMessage().contains("modelops.jobs.pod-security"),
                condition.getMessage());
        assertNull(client.batch().v1().jobs().withName("sec-privileged").get(), "no Job is created");
    }

    @Test
    void aServiceAccountTheOperatorDoesNotAllowIsRefused() {
        modelJob("sec-account", JobType.Evaluate, "churn-v3").template(template(null, "namespace-admin")).create(client);

        ModelJob failed = awaitCondition(client, "sec-account", "Failed");
        var condition = Conditions.find(failed.getStatus().getConditions(), "Failed").orElseThrow();
        assertEquals("ServiceAccountNotAllowed", condition.getReason());
        assertTrue(condition.getMessage().startsWith("spec.template.serviceAccountName: namespace-admin is not allowed"),
                condition.getMessage());
        assertNull(client.batch().v1().jobs().withName("sec-account").get());
    }

    @Test
    void everyPodOfAVersionsWalkItsServingAndItsScoringMeetsRestricted() {
        String namespace = "pss-walk";
        client.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        client.load(new ByteArrayInputStream((version("walk-v1", "walk", "") + "---\n" + scoring("walk-scoring", "walk", ""))
                .getBytes(StandardCharsets.UTF_8))).inNamespace(namespace).create();

        awaitStage(namespace, "walk-v1", Stage.Deployed);
        runNow(namespace, "walk-scoring");
        await().atMost(Duration.ofMinutes(1)).until(() -> phase(namespace, "walk-scoring-now-1") == JobPhase.Succeeded);

        Map<String, PodTemplateSpec> pods = new TreeMap<>();
        client.batch().v1().jobs().inNamespace(namespace).list().getItems()
                .forEach(job -> pods.put("Job " + job.getMetadata().getName(), job.getSpec().getTemplate()));
        client.batch().v1().cronjobs().inNamespace(namespace).list().getItems().forEach(cronJob -> pods.put(
                "CronJob " + cronJob.getMetadata().getName(), cronJob.getSpec().getJobTemplate().getSpec().getTemplate()));
        client.apps().deployments().inNamespace(namespace).list().getItems().forEach(deployment -> pods.put(
                "Deployment " + deployment.getMetadata().getName(), deployment.getSpec().getTemplate()));
        client.pods().inNamespace(namespace).list().getItems().forEach(pod -> pods.put("Pod " + pod.getMetadata()
                .getName(), new PodTemplateSpec(pod.getMetadata(), pod.getSpec())));
        assertEquals(List.of("CronJob walk-scoring", "Deployment walk-v1-serving", "Job walk-scoring-now-1",
                "Job walk-v1-evaluate-1", "Job walk-v1-train-1"), pods.keySet().stream()
                .filter(name -> !name.startsWith("Pod ")).toList());
        assertTrue(pods.keySet().stream().filter(name -> name.startsWith("Pod ")).count() >= 4, pods.keySet()::toString);
        Map<String, List<PodSecurityStandard.Violation>> violations = new TreeMap<>();
        pods.forEach((name, pod) -> violations.put(name, PodSecurityStandard.violations(pod)));
        assertEquals(Map.of(), violations.entrySet().stream().filter(entry -> !entry.getValue().isEmpty())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        assertEquals(List.of(), relaxedEvents(namespace));
    }

    @Test
    void aTemplateBelowRestrictedRunsAndItsModelJobSaysWhichFieldInAWarning() {
        modelJob("sec-relaxed", JobType.Evaluate, "churn-v3").runs("10ms")
                .template(template(new SecurityContextBuilder().withRunAsNonRoot(false).build(), null)).create(client);

        ModelJob done = awaitCondition(client, "sec-relaxed", "Complete");
        String expected = "The pods of Job sec-relaxed do not meet Pod Security \"restricted\":"
                + " spec.template.securityContext.runAsNonRoot: false (allowed up to baseline by the operator's setting"
                + " modelops.jobs.pod-security)";
        assertTrue(done.getStatus().getTimeline().stream().anyMatch(entry -> entry.getReason().equals(
                "PodSecurityRelaxed") && entry.getMessage().equals(expected)), "kept in the timeline");
        await().until(() -> relaxedEvents("default").stream().anyMatch(event -> event.getInvolvedObject().getName()
                .equals("sec-relaxed") && event.getType().equals("Warning") && event.getMessage().equals(expected)));
        PodTemplateSpec pod = client.batch().v1().jobs().withName("sec-relaxed").get().getSpec().getTemplate();
        assertEquals(List.of("spec.containers[0].securityContext.runAsNonRoot: false"),
                PodSecurityStandard.violations(pod).stream().map(Object::toString).toList(),
                "the Warning names what the checker finds in the Job's pod");
    }

    @Test
    void relaxedServingAndScoringPodsRunAndTheirOwnersSayWhichFieldInAWarning() {
        client.load(new ByteArrayInputStream((version("relaxed-v1", "relaxed", """
                      securityContext:
                        capabilities: {add: [CHOWN]}
                """) + "---\n" + scoring("relaxed-scoring", "relaxed", """
                    securityContext: {allowPrivilegeEscalation: true}
                """)).getBytes(StandardCharsets.UTF_8))).create();

        awaitStage("default", "relaxed-v1", Stage.Deployed);
        await().until(() -> relaxedEvents("default").stream().filter(event -> event.getInvolvedObject().getName()
                .equals("relaxed-v1")).anyMatch(event -> event.getMessage().equals("The pods of Deployment"
                + " relaxed-v1-serving do not meet Pod Security \"restricted\": spec.deploy.online.securityContext"
                + ".capabilities.add: CHOWN (allowed up to baseline by the operator's setting"
                + " modelops.jobs.pod-security)")));
        await().until(() -> relaxedEvents("default").stream().filter(event -> event.getInvolvedObject().getName()
                .equals("relaxed-scoring")).anyMatch(event -> event.getMessage().equals("The pods of CronJob"
                + " relaxed-scoring do not meet Pod Security \"restricted\": spec.template.securityContext"
                + ".allowPrivilegeEscalation: true (allowed up to baseline by the operator's setting"
                + " modelops.jobs.pod-security)")));
        assertEquals(List.of("spec.containers[0].securityContext.allowPrivilegeEscalation: true"),
                PodSecurityStandard.violations(client.batch().v1().cronjobs().withName("relaxed-scoring").get()
                        .getSpec().getJobTemplate().getSpec().getTemplate()).stream().map(Object::toString).toList());
    }

    /**
     * A trained version that is approved by its gate and deployed online; the simulated steps report an artifact and
     * an auc; {@code online} adds to {@code spec.deploy.online}.
     */
    private static String version(String name, String model, String online) {
        return """
                apiVersion: modelops.dev/v1alpha1
                kind: ModelVersion
                metadata: {name: %s}
                spec:
                  model: %s
                  version: "1"
                  source:
                    train:
                      image: ghcr.io/acme/churn-train:1.4.0
                      podAnnotations:
                        sandbox.modelops.dev/duration: 10ms
                        sandbox.modelops.dev/termination-message: '{"artifactUri":"s3://models/%1$s/model.onnx"}'
                  evaluate:
                    image: ghcr.io/acme/churn-eval:1.4.0
                    podAnnotations:
                      sandbox.modelops.dev/duration: 10ms
                      sandbox.modelops.dev/termination-message: '{"metrics":{"auc":0.9}}'
                  approval:
                    mode: Automatic
                    gates: ["metrics.auc >= 0.8"]
                  deploy:
                    mode: Online
                    automatic: true
                    online:
                      image: ghcr.io/acme/churn-serve:1.4.0
                      port: 8080
                      replicas: 1
                %s""".formatted(name, model, online);
    }

    /** A BatchPrediction of the model's champion; {@code template} adds to {@code spec.template}. */
    private static String scoring(String name, String model, String template) {
        return """
                apiVersion: modelops.dev/v1alpha1
                kind: BatchPrediction
                metadata: {name: %s}
                spec:
                  model: %s
                  schedule: "@yearly"
                  template:
                    image: ghcr.io/acme/churn-score:1.4.0
                    podAnnotations:
                      sandbox.modelops.dev/duration: 10ms
                      sandbox.modelops.dev/termination-message: '{"outputUri":"s3://predictions/%1$s.csv"}'
                %s""".formatted(name, model, template);
    }

    private void awaitStage(String namespace, String name, Stage stage) {
        await().atMost(Duration.ofMinutes(1)).until(() -> {
            ModelVersion version = client.resources(ModelVersion.class).inNamespace(namespace).withName(name).get();
            return version != null && version.getStatus() != null && version.getStatus().getStage() == stage;
        });
    }

    private void runNow(String namespace, String prediction) {
        await().until(() -> client.batch().v1().cronjobs().inNamespace(namespace).withName(prediction).get() != null);
        client.resources(BatchPrediction.class).inNamespace(namespace).withName(prediction).patch(PatchContext.of(
                PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"modelops.dev/run-now\":\"1\"}}}");
    }

    private JobPhase phase(String namespace, String modelJob) {
        ModelJob job = client.resources(ModelJob.class).inNamespace(namespace).withName(modelJob).get();
        return job == null || job.getStatus() == null ? null : job.getStatus().getPhase();
    }

    private List<Event> relaxedEvents(String namespace) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(event -> "PodSecurityRelaxed".equals(event.getReason())).toList();
    }

    private static ContainerTemplate template(SecurityContext context, String serviceAccount) {
        ContainerTemplate template = new ContainerTemplate();
        template.setSecurityContext(context);
        template.setServiceAccountName(serviceAccount);
        return template;
    }
}
