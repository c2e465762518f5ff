package dev.modelops.operator;

import dev.modelops.api.v1alpha1.BatchPrediction;
import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.Stage;
import dev.modelops.batchprediction.BatchPredictionReconciler;
import dev.modelops.common.OperatorUserAgent;
import dev.modelops.modeljob.ModelJobReconciler;
import dev.modelops.modelversion.ModelVersionReconciler;
import dev.modelops.testing.CapturedLogs;
import dev.modelops.testing.PlainOperators;
import dev.modelops.testing.ProcessClusterTest;
import dev.modelops.testing.SecretCheckingContainer;
import dev.modelops.testing.TestJobSettings;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the operator writes (status, Events, the kept logs and champion ConfigMaps, its Jobs, CronJob and Deployment,
 * its own log) through a lifecycle whose pods read a Secret: a trained version deployed online, a version whose
 * training fails and is retried by hand, and a BatchPrediction run now, every one of their pods given a password from
 * a Secret by {@code valueFrom.secretKeyRef}. The pods really get the password (they run as processes and report
 * that its digest matches); the operator never reads a Secret, never holds the value, and never logs a whole object.
 */
class WhatTheOperatorWritesTest extends ProcessClusterTest {

    private static final Duration WALK = Duration.ofMinutes(3);
    /** The operator's packages: their DEBUG statements are captured too. */
    private static final String[] OPERATOR_PACKAGES = {"dev.modelops.modeljob", "dev.modelops.modelversion",
            "dev.modelops.batchprediction", "dev.modelops.common", "dev.modelops.workload", "dev.modelops.lifecycle",
            "dev.modelops.cache", "dev.modelops.metrics", "dev.modelops.operator"};
    /** What a printed object looks like: fabric8's toString, JSON or YAML of a resource. */
    private static final List<String> PRINTED_OBJECT = List.of("apiVersion", "ObjectMeta(", "metadata=", "spec=",
            "\"metadata\"", "\"spec\"");

    private final String password = "pw-" + UUID.randomUUID();
    private CapturedLogs log;
    private Operator operator;
    private KubernetesClient operatorClient;

    @Override
    protected String mainClass() {
        return SecretCheckingContainer.class.getName();
    }

    @BeforeEach
    void startOperator() {
        log = CapturedLogs.everything(OPERATOR_PACKAGES);
        var settings = TestJobSettings.withRunner(RUNNER, data.resolve("artifacts").toUri().toString());
        operatorClient = server.newClient(OperatorUserAgent.PRODUCT + "/test");
        operator = PlainOperators.create(operatorClient, settings, overrider -> { });
        operator.register(new ModelJobReconciler(settings, Clock.systemUTC()));
        operator.register(new ModelVersionReconciler(settings, Clock.systemUTC()));
        operator.register(new BatchPredictionReconciler(settings, Clock.systemUTC()));
        operator.start();
    }

    @AfterEach
    void stopOperator() {
        operator.stop();
        operatorClient.close();
        log.close();
    }

    @Test
    void noSecretValueAndNoWholeObjectReachesWhatTheOperatorWrites() {
        client.resource(new SecretBuilder().withNewMetadata().withName("db-credentials").endMetadata()
                .addToStringData("password", password).build()).create();
        client.resource(Serialization.unmarshal(version("vault-v1", "vault", "Automatic", "0"), ModelVersion.class))
                .create();
        client.resource(Serialization.unmarshal(version("broken-v1", "broken", "Manual", "1"), ModelVersion.class))
                .create();

        ModelVersion deployed = awaitStage("vault-v1", Stage.Deployed);
        assertEquals(1.0, deployed.getStatus().getMetrics().get("secretMatches"), "the evaluation got the password");
        ModelJob failed = awaitEnded("broken-v1-train-1");
        assertEquals(JobPhase.Failed, failed.getStatus().getPhase());
        assertTrue(failed.getStatus().getMessage().contains("connecting to the database failed on purpose"),
                "a failure's message quotes the pod's last log lines: " + failed.getStatus().getMessage());
        awaitStage("broken-v1", Stage.Failed);

        client.resource(Serialization.unmarshal(retry("broken-v1-train-2", "broken-v1"), ModelJob.class)).create();
        ModelJob retried = awaitEnded("broken-v1-train-2");
        assertEquals(JobPhase.Succeeded, retried.getStatus().getPhase(), retried.getStatus().getMessage());
        assertEquals(1.0, retried.getStatus().getResult().getMetrics().get("secretMatches"),
                "spec.template's env reached the pod");
        awaitStage("broken-v1", Stage.AwaitingApproval);

        client.resource(Serialization.unmarshal(scoring(), BatchPrediction.class)).create();
        await().atMost(WALK).until(() -> client.batch().v1().cronjobs().withName("vault-scoring").get() != null);
        client.resources(BatchPrediction.class).withName("vault-scoring").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"modelops.dev/run-now\":\"1\"}}}");
        ModelJob run = awaitEnded("vault-scoring-now-1");
        assertEquals(JobPhase.Succeeded, run.getStatus().getPhase(), run.getStatus().getMessage());
        assertEquals(1.0, run.getStatus().getResult().getMetrics().get("secretMatches"));

        assertTrue(server.requests().snapshot(OperatorUserAgent.PRODUCT).counts().keySet().stream()
                .noneMatch(request -> request.contains("secrets")), "the operator never asks for a Secret: "
                + server.requests().snapshot(OperatorUserAgent.PRODUCT).counts().keySet());
        Job job = client.batch().v1().jobs().withName("vault-v1-train-1").get();
        EnvVar variable = job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(env -> env.getName().equals("DB_PASSWORD")).findFirst().orElseThrow();
        assertNull(variable.getValue(), "the Job carries the reference, not the value");
        assertEquals("db-credentials", variable.getValueFrom().getSecretKeyRef().getName());
        assertTrue(client.configMaps().withName("vault-v1-train-1-logs").get().getData().values().stream()
                .anyMatch(kept -> kept.contains("the database password matches its digest")), "the logs are kept");

        List<String> leaks = new ArrayList<>();
        String encoded = Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8));
        for (HasMetadata object : whatTheOperatorWrote()) {
            String json = Serialization.asJson(object);
            if (json.contains(password) || json.contains(encoded)) {
                leaks.add(object.getKind() + " " + object.getMetadata().getName());
            }
        }
        assertEquals(List.of(), leaks, "objects that hold the password");
        List<CapturedLogs.Entry> lines = log.entries();
        assertTrue(lines.stream().anyMatch(line -> line.logger().startsWith("io.javaoperatorsdk")),
                "the operator's log was captured");
        assertEquals(List.of(), lines.stream().filter(line -> line.text().contains(password)
                || line.text().contains(encoded)).map(WhatTheOperatorWritesTest::start).toList(),
                "log lines that hold the password");
        assertEquals(List.of(), lines.stream().filter(WhatTheOperatorWritesTest::operators)
                .filter(line -> PRINTED_OBJECT.stream().anyMatch(line.text()::contains))
                .map(WhatTheOperatorWritesTest::start).toList(), "the operator's log lines that print an object");
    }

    /** Every object of the kinds the operator writes or makes others write (pods, ReplicaSets), but Secrets. */
    private List<HasMetadata> whatTheOperatorWrote() {
        return Stream.of(client.resources(ModelJob.class).list().getItems(),
                client.resources(ModelVersion.class).list().getItems(),
                client.resources(BatchPrediction.class).list().getItems(),
                client.v1().events().list().getItems(), client.configMaps().list().getItems(),
                client.batch().v1().jobs().list().getItems(), client.batch().v1().cronjobs().list().getItems(),
                client.apps().deployments().list().getItems(), client.apps().replicaSets().list().getItems(),
                client.services().list().getItems(), client.pods().list().getItems())
                .<HasMetadata>flatMap(List::stream).toList();
    }

    private static String start(CapturedLogs.Entry line) {
        String text = line.toString();
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    /** A line of the operator's, not of the simulated cluster around it. */
    private static boolean operators(CapturedLogs.Entry line) {
        return (line.logger().startsWith("dev.modelops.") && !line.logger().startsWith("dev.modelops.sandbox"))
                || line.logger().startsWith("io.javaoperatorsdk") || (line.logger().startsWith("io.fabric8")
                && !line.logger().startsWith("io.fabric8.mockwebserver"));
    }

    private String version(String name, String model, String approval, String fail) {
        return """
                apiVersion: modelops.dev/v1alpha1
                kind: ModelVersion
                metadata: {name: %s}
                spec:
                  model: %s
                  version: "1"
                  source:
                    train:
                      env: %s
                  evaluate:
                    env: %s
                  approval:
                    mode: %s
                    gates: ["metrics.auc >= 0.5 && metrics.secretMatches == 1.0"]
                  deploy:
                    mode: Online
                    automatic: true
                    online:
                      port: 8080
                      env: %s
                """.formatted(name, model, env(Map.of("FAIL", fail)), env(Map.of()), approval, env(Map.of()));
    }

    private String retry(String name, String version) {
        return """
                apiVersion: modelops.dev/v1alpha1
                kind: ModelJob
                metadata: {name: %s}
                spec:
                  type: Train
                  modelVersion: %s
                  template:
                    env: %s
                """.formatted(name, version, env(Map.of("FAIL", "0")));
    }

    private String scoring() {
        return """
                apiVersion: modelops.dev/v1alpha1
                kind: BatchPrediction
                metadata: {name: vault-scoring}
                spec:
                  model: vault
                  schedule: "@yearly"
                  output: {uri: "file:///predictions/vault.csv"}
                  template:
                    env: %s
                """.formatted(env(Map.of()));
    }

    /** The password from the Secret, its digest to check it by, and more variables, as a YAML flow sequence. */
    private String env(Map<String, String> more) {
        StringBuilder env = new StringBuilder("[{name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db-credentials,"
                + " key: password}}}, {name: DB_PASSWORD_SHA256, value: \""
                + SecretCheckingContainer.sha256(password) + "\"}");
        more.forEach((name, value) -> env.append(", {name: ").append(name).append(", value: \"").append(value)
                .append("\"}"));
        return env.append("]").toString();
    }

    private ModelVersion awaitStage(String name, Stage stage) {
        await().atMost(WALK).until(() -> {
            ModelVersion version = client.resources(ModelVersion.class).withName(name).get();
            return version != null && version.getStatus() != null && version.getStatus().getStage() == stage;
        });
        return client.resources(ModelVersion.class).withName(name).get();
    }

    private ModelJob awaitEnded(String name) {
        await().atMost(WALK).until(() -> {
            ModelJob job = client.resources(ModelJob.class).withName(name).get();
            return job != null && job.getStatus() != null && job.getStatus().getPhase() != null
                    && job.getStatus().getPhase() != JobPhase.Pending && job.getStatus().getPhase() != JobPhase.Running;
        });
        return client.resources(ModelJob.class).withName(name).get();
    }
}
