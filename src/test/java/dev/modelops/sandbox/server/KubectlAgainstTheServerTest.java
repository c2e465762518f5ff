package dev.modelops.sandbox.server;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import dev.modelops.testing.Kubectl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** kubectl works against the embedded server: discovery, tables, OpenAPI for apply and explain. */
class KubectlAgainstTheServerTest {

    private static EmbeddedApiServer server;
    private static Kubectl kubectl;

    @TempDir
    static Path home;

    @BeforeAll
    static void start() {
        assumeTrue(Kubectl.onPath(), "kubectl is not on the PATH: the kubectl tests are skipped");
        server = EmbeddedApiServer.start(0);
        kubectl = new Kubectl(home, server.url());
        server.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName("chunked").endMetadata().build()).create();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void apiResourcesListsTheThreeKindsWithShortNames() throws Exception {
        String out = kubectl.run("api-resources", "--api-group=modelops.dev", "--no-headers");
        assertTrue(out.matches("(?s).*modeljobs\\s+mj\\s+modelops.dev/v1alpha1\\s+true\\s+ModelJob.*"), out);
        assertTrue(out.matches("(?s).*modelversions\\s+mv\\s+modelops.dev/v1alpha1\\s+true\\s+ModelVersion.*"), out);
        assertTrue(out.matches("(?s).*batchpredictions\\s+bp\\s+modelops.dev/v1alpha1\\s+true\\s+BatchPrediction.*"), out);
    }

    @Test
    void getByShortNameListsTheModelJobs() throws Exception {
        createModelJob("churn-v3-evaluate-1", "Evaluate", "churn-v3");

        String out = kubectl.run("get", "mj", "churn-v3-evaluate-1", "-o", "name");
        assertEquals("modeljob.modelops.dev/churn-v3-evaluate-1", out.trim());
    }

    @Test
    void getShowsThePrinterColumnsOfTheCrd() throws Exception {
        GenericKubernetesResource created = server.client().resource(new GenericKubernetesResourceBuilder()
                .withApiVersion("modelops.dev/v1alpha1").withKind("ModelVersion")
                .withNewMetadata().withName("churn-v3").endMetadata()
                .addToAdditionalProperties("spec", Map.of("model", "churn", "version", "3",
                        "source", Map.of("train", Map.of("image", "trainer:1"))))
                .build()).create();
        created.setAdditionalProperty("status", Map.of("stage", "Evaluating", "champion", false));
        server.client().resource(created).updateStatus();

        List<String> lines = kubectl.run("get", "modelversions").lines().toList();
        assertEquals(List.of("NAME", "MODEL", "VERSION", "STAGE", "CHAMPION", "METRIC", "AGE"), List.of(lines.get(0).split("\\s+")));
        List<String> row = List.of(lines.get(1).split("\\s+"));
        assertEquals(List.of("churn-v3", "churn", "3", "Evaluating", "false"), row.subList(0, 5), lines.toString());
        assertTrue(row.get(5).matches("\\d+s"), "age " + row.get(5));
    }

    @Test
    void applyCreatesThenLeavesAnUnchangedModelJobAlone() throws Exception {
        Path manifest = home.resolve("mj.yaml");
        Files.writeString(manifest, """
                apiVersion: modelops.dev/v1alpha1
                kind: ModelJob
                metadata: {name: churn-v4-evaluate-1}
                spec: {type: Evaluate, modelVersion: churn-v4}
                """);
        assertEquals("modeljob.modelops.dev/churn-v4-evaluate-1 created", kubectl.run("apply", "-f", manifest.toString()).trim());
        assertEquals("modeljob.modelops.dev/churn-v4-evaluate-1 unchanged", kubectl.run("apply", "-f", manifest.toString()).trim());
    }

    @Test
    void applyCreatesThenLeavesAnUnchangedJobAlone() throws Exception {
        Path manifest = home.resolve("job.yaml");
        Files.writeString(manifest, """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: hello}
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: main, image: busybox}]
                """);
        assertEquals("job.batch/hello created", kubectl.run("apply", "-f", manifest.toString()).trim());
        assertEquals("job.batch/hello unchanged", kubectl.run("apply", "-f", manifest.toString()).trim());
    }

    @Test
    void annotateAndLabelPatchABuiltInKindStrategically() throws Exception {
        server.client().batch().v1().jobs().resource(new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder()
                .withNewMetadata().withName("annotated").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage("busybox").endContainer()
                .endSpec().endTemplate().endSpec().build()).create();

        kubectl.run("annotate", "job", "annotated", "team=ml");
        kubectl.run("label", "job", "annotated", "tier=batch");

        var job = server.client().batch().v1().jobs().withName("annotated").get();
        assertEquals("ml", job.getMetadata().getAnnotations().get("team"));
        assertEquals("batch", job.getMetadata().getLabels().get("tier"));
    }

    @Test
    void serverSideApplyCreatesThenMerges() throws Exception {
        Path manifest = home.resolve("ssa.yaml");
        Files.writeString(manifest, """
                apiVersion: modelops.dev/v1alpha1
                kind: ModelJob
                metadata: {name: churn-v7-evaluate-1, labels: {team: ml}}
                spec: {type: Evaluate, modelVersion: churn-v7}
                """);
        assertEquals("modeljob.modelops.dev/churn-v7-evaluate-1 serverside-applied",
                kubectl.run("apply", "--server-side", "-f", manifest.toString()).trim());
        Files.writeString(manifest, Files.readString(manifest).replace("team: ml", "team: ml, tier: gold"));
        kubectl.run("apply", "--server-side", "-f", manifest.toString());

        assertEquals(Map.of("team", "ml", "tier", "gold"), server.client().genericKubernetesResources(
                "modelops.dev/v1alpha1", "ModelJob").withName("churn-v7-evaluate-1").get().getMetadata().getLabels());
    }

    @Test
    void setBasedLabelSelectorsAndFieldSelectorsFilterTheList() throws Exception {
        for (String[] job : new String[][] {{"sel-a", "ml"}, {"sel-b", "ops"}, {"sel-c", "web"}}) {
            server.client().resource(new GenericKubernetesResourceBuilder()
                    .withApiVersion("modelops.dev/v1alpha1").withKind("ModelJob")
                    .withNewMetadata().withName(job[0]).addToLabels("squad", job[1]).endMetadata()
                    .addToAdditionalProperties("spec", Map.of("type", "Train", "modelVersion", "sel"))
                    .build()).create();
        }

        assertEquals(List.of("modeljob.modelops.dev/sel-a", "modeljob.modelops.dev/sel-b"),
                kubectl.run("get", "mj", "-l", "squad in (ml,ops)", "-o", "name").lines().toList());
        assertEquals(List.of("modeljob.modelops.dev/sel-c"),
                kubectl.run("get", "mj", "-l", "squad notin (ml,ops),squad", "-o", "name").lines().toList());
        assertEquals(List.of("modeljob.modelops.dev/sel-b"),
                kubectl.run("get", "mj", "-l", "squad", "--field-selector", "metadata.name=sel-b", "-o", "name").lines().toList());
    }

    @Test
    void getListsInChunksToTheLastRowWithAndWithoutASelector() throws Exception {
        for (int i = 0; i < 7; i++) {
            server.client().resource(new ConfigMapBuilder().withNewMetadata().withName("chunk-" + i)
                    .withNamespace("chunked").addToLabels("parity", i % 2 == 0 ? "even" : "odd").endMetadata()
                    .build()).create();
        }

        List<String> all = kubectl.run("get", "configmaps", "-n", "chunked", "--chunk-size=2", "--no-headers")
                .lines().map(line -> line.split("\\s+")[0]).toList();
        assertEquals(IntStream.range(0, 7).mapToObj(i -> "chunk-" + i).toList(), all);
        List<String> even = kubectl.run("get", "configmaps", "-n", "chunked", "--chunk-size=2", "-l", "parity=even",
                "-o", "name").lines().toList();
        assertEquals(List.of("configmap/chunk-0", "configmap/chunk-2", "configmap/chunk-4", "configmap/chunk-6"), even);
    }

    @Test
    void logsFollowStreamsUntilThePodEnds() throws Exception {
        AtomicReference<String> log = new AtomicReference<>("epoch 1\n");
        server.podLogs((namespace, pod, container, previous) -> pod.equals("trainer")
                ? Optional.of(PodLogSource.PodLog.ofText(log.get(), java.time.Instant.now())) : Optional.empty());
        var pod = server.client().pods().resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata().withName("trainer").endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("trainer:1").endContainer().endSpec()
                .build()).create();
        pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").build());
        server.client().pods().resource(pod).updateStatus();

        Process follow = kubectl.start("logs", "-f", "pod/trainer");
        await().atMost(Duration.ofSeconds(10)).until(() -> follow.getInputStream().available() > 0);
        log.set("epoch 1\nepoch 2\n");
        var running = server.client().pods().withName("trainer").get();
        running.getStatus().setPhase("Succeeded");
        server.client().pods().resource(running).updateStatus();

        assertTrue(follow.waitFor(10, TimeUnit.SECONDS), "kubectl logs -f did not end with the pod");
        assertEquals("epoch 1\nepoch 2\n", new String(follow.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a blocked read is not interruptible
    void getWatchPrintsEachChangeWithThePrinterColumns() throws Exception {
        GenericKubernetesResource job = createModelJob("watched", "Train", "churn-v8");
        long watches = server.requests().count("watch", "modeljobs");
        Process watch = kubectl.start("get", "mj", "watched", "-w");
        try {
            StringBuilder out = new StringBuilder();
            var reader = new java.io.BufferedReader(new java.io.InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8));
            out.append(reader.readLine()).append('\n').append(reader.readLine()).append('\n');
            // the store keeps no history: a change between kubectl's get and its watch would not be replayed
            await().atMost(Duration.ofSeconds(10)).until(() -> server.requests().count("watch", "modeljobs") > watches);
            job.setAdditionalProperty("status", Map.of("phase", "Running"));
            server.client().resource(job).updateStatus();
            out.append(reader.readLine());

            List<String> lines = out.toString().lines().toList();
            assertEquals(List.of("NAME", "TYPE", "MODEL", "VERSION", "PHASE", "AGE"), List.of(lines.get(0).split("\\s+")));
            assertTrue(lines.get(2).matches("watched\\s+Train\\s+churn-v8\\s+Running\\s+\\d+s"), out.toString());
        } finally {
            watch.destroy();
        }
    }

    @Test
    void applyOfAManifestThatBreaksACelRuleIsRefusedWithItsMessageAndNothingIsStored() throws Exception {
        Path manifest = home.resolve("approve.yaml");
        Files.writeString(manifest, """
                apiVersion: modelops.dev/v1alpha1
                kind: ModelJob
                metadata: {name: churn-v9-approve-1}
                spec: {type: Approve, modelVersion: churn-v9}
                """);

        String out = kubectl.fail("apply", "-f", manifest.toString());

        assertEquals("The ModelJob \"churn-v9-approve-1\" is invalid: spec: Invalid value: \"object\": spec.reason is"
                + " required for Approve and Reject: say why the version is approved or rejected", out.trim());
        assertEquals(null, server.client().genericKubernetesResources("modelops.dev/v1alpha1", "ModelJob")
                .withName("churn-v9-approve-1").get());
    }

    @Test
    void patchesThatChangeAnImmutableFieldAreRefusedWhateverThePatchType() throws Exception {
        createModelJob("immutable", "Evaluate", "churn-v10");

        assertEquals("The ModelJob \"immutable\" is invalid: spec.type: Invalid value: \"string\": spec.type is"
                + " immutable: create a new ModelJob for another step", kubectl.fail("patch", "mj", "immutable",
                "--type", "merge", "-p", "{\"spec\":{\"type\":\"Train\"}}").trim());
        assertTrue(kubectl.fail("patch", "mj", "immutable", "--type", "json", "-p",
                "[{\"op\":\"replace\",\"path\":\"/spec/modelVersion\",\"value\":\"other\"}]")
                .contains("spec.modelVersion is immutable"));
        assertEquals("Evaluate churn-v10 false", kubectl.run("get", "mj", "immutable", "-o",
                "jsonpath={.spec.type} {.spec.modelVersion} {.spec.stop}"));
    }

    @Test
    void explainDocumentsTheFieldsOfTheSpec() throws Exception {
        String out = kubectl.run("explain", "modeljob.spec.stop");
        assertTrue(out.contains("KIND:       ModelJob"), out);
        assertTrue(out.contains("Set to true to stop the job"), out);
        String spec = kubectl.run("explain", "modeljob.spec");
        assertTrue(spec.contains("What the job runs"), spec);
    }

    @Test
    void waitReturnsOnceTheConditionIsMet() throws Exception {
        GenericKubernetesResource job = createModelJob("churn-v5-train-1", "Train", "churn-v5");
        Process wait = kubectl.start("wait", "--for=condition=Complete", "mj/churn-v5-train-1", "--timeout=30s");

        job.setAdditionalProperty("status", Map.of("conditions", List.of(Map.of("type", "Complete", "status", "True",
                "reason", "Succeeded", "lastTransitionTime", "2026-11-25T00:00:00Z"))));
        server.client().resource(job).updateStatus();

        assertTrue(wait.waitFor(30, TimeUnit.SECONDS), "kubectl wait did not return");
        String out = new String(wait.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, wait.exitValue(), out);
        assertEquals("modeljob.modelops.dev/churn-v5-train-1 condition met", out.trim());
    }

    @Test
    void statusPatchWithKubectlReachesTheStatusSubresource() throws Exception {
        createModelJob("churn-v6-train-1", "Train", "churn-v6");

        kubectl.run("patch", "mj", "churn-v6-train-1", "--subresource=status", "--type", "merge", "-p",
                "{\"status\":{\"phase\":\"Running\"}}");

        assertEquals("Running", kubectl.run("get", "mj", "churn-v6-train-1", "-o", "jsonpath={.status.phase}"));
    }

    private static GenericKubernetesResource createModelJob(String name, String type, String modelVersion) {
        return server.client().resource(new GenericKubernetesResourceBuilder()
                .withApiVersion("modelops.dev/v1alpha1").withKind("ModelJob")
                .withNewMetadata().withName(name).endMetadata()
                .addToAdditionalProperties("spec", Map.of("type", type, "modelVersion", modelVersion))
                .build()).create();
    }
}
