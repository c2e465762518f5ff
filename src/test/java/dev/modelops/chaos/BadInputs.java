package dev.modelops.chaos;

import dev.modelops.api.v1alpha1.BatchPrediction;
import dev.modelops.api.v1alpha1.Condition;
import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.Stage;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Input that admission lets through and the operator must answer with a condition that says what is wrong (or, for
 * odd but valid input, run as any other): results that are not JSON, of the wrong shape or over 4 KiB; a version that
 * does not exist; a template the API server, Pod Security or the operator's settings refuse; decisions out of order;
 * a Job name taken by someone else's Job; an imported artifact of the wrong digest; a gate on a metric nobody
 * reports; a BatchPrediction of a model never deployed; unicode logs; a name of the longest length. {@code copies}
 * sets of them.
 */
final class BadInputs implements Workload {

    /** A version whose Train never ends: requests to it are always out of order. */
    static final String STUCK = "stuck-v1";

    /**
     * One input, what is created for it, and how it must end: the condition (type and reason) it shows, read by
     * {@code condition}; {@code ended} says whether it ends or stays as it is (pending on what is missing).
     */
    private record Input(String name, Class<? extends HasMetadata> kind, List<HasMetadata> objects, String condition,
            String reason, boolean ended, JobEnd end) {
    }

    private final List<Input> inputs = new ArrayList<>();
    private int handled;

    BadInputs(int copies) {
        for (int copy = 0; copy < copies; copy++) {
            String c = "-" + copy;
            result("bad-result-not-json" + c, "auc=0.91, not JSON");
            result("bad-result-wrong-shape" + c, "{\"metrics\":{\"auc\":\"high\"}}");
            result("bad-result-unknown-field" + c, "{\"score\":0.91}");
            result("bad-result-over-4kib" + c, "{\"metrics\":{\"auc\":0.91},\"artifactUri\":\"s3://models/"
                    + "a".repeat(5000) + "\"}");
            pending("bad-no-version" + c, modelJob("bad-no-version" + c, "Evaluate", "bad-missing-version", "", null),
                    "ModelVersionNotFound");
            refused("bad-requests-over-limits" + c, "resources: {requests: {memory: 2Gi}, limits: {memory: 1Gi}}",
                    "JobRejected");
            refused("bad-privileged" + c, "securityContext: {privileged: true}", "PodSecurityExceeded");
            refused("bad-service-account" + c, "serviceAccountName: cluster-admin", "ServiceAccountNotAllowed");
            outOfOrder("bad-approve-early" + c, "Approve");
            outOfOrder("bad-deploy-early" + c, "Deploy");
            Job theirs = new JobBuilder().withNewMetadata().withName("bad-job-name-taken" + c)
                    .withNamespace(ChaosCluster.NAMESPACE).endMetadata().withNewSpec().withNewTemplate()
                    .withNewMetadata().addToAnnotations("sandbox.modelops.dev/duration", "100ms").endMetadata()
                    .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("main")
                    .withImage("busybox").endContainer().endSpec().endTemplate().endSpec().build();
            inputs.add(new Input("bad-job-name-taken" + c, ModelJob.class, List.of(theirs, modelJob(
                    "bad-job-name-taken" + c, "Evaluate", JobsWorkload.VERSION, "", null)), "Started", "JobNameTaken",
                    false, null));
            String unicode = "métricas ✓ 模型 🚀 Ελληνικά\nzweite Zeile: Größe\n";
            odd("bad-unicode" + c, unicode);
            String longest = "bad-name-of-the-longest-length-that-a-model-job-may-have" + c;
            odd(longest + "x".repeat(63 - longest.length()), "a job of the longest name\n");
            version("bad-digest" + c + "-v1", "bad-digest" + c, "Failed", "Imported", "Failed",
                    "0000000000000000000000000000000000000000000000000000000000000000", "{mode: Manual}");
            version("bad-gate" + c + "-v1", "bad-gate" + c, "AwaitingApproval", "Approved", "MissingMetric",
                    null, "{mode: Automatic, gates: [\"metrics.precision >= 0.5\"]}");
            BatchPrediction prediction = Manifests.read("""
                    apiVersion: modelops.dev/v1alpha1
                    kind: BatchPrediction
                    metadata: {name: bad-prediction%s}
                    spec:
                      model: bad-never-deployed
                      schedule: "*/5 * * * *"
                      template: {image: ghcr.io/acme/score:1.0.0}
                    """.formatted(c), BatchPrediction.class);
            inputs.add(new Input("bad-prediction" + c, BatchPrediction.class, List.of(prediction), "Ready",
                    "NoDeployedVersion", false, null));
        }
    }

    private void result(String name, String message) {
        String log = "evaluating " + name + "\n";
        inputs.add(new Input(name, ModelJob.class, List.of(modelJob(name, "Evaluate", JobsWorkload.VERSION, "",
                Manifests.simulated("0s", "300ms", 0, log, message))), "Failed", "InvalidResult", true,
                JobEnd.failed("InvalidResult", JobEnd.with(JobEnd.RAN, "Failed"), new JobEnd.Logs.Whole(log), true)));
    }

    private void pending(String name, ModelJob job, String reason) {
        inputs.add(new Input(name, ModelJob.class, List.of(job), "Started", reason, false, null));
    }

    private void refused(String name, String template, String reason) {
        inputs.add(new Input(name, ModelJob.class, List.of(modelJob(name, "Train", JobsWorkload.VERSION,
                template, null)), "Failed", reason, true,
                JobEnd.failed(reason, List.of("Created", "Failed"), new JobEnd.Logs.Any(), false)));
    }

    private void outOfOrder(String name, String type) {
        ModelJob job = modelJob(name, type, STUCK, "", null);
        job.getSpec().setReason("chaos: too early");
        job.getSpec().setTemplate(null);
        inputs.add(new Input(name, ModelJob.class, List.of(job), "Failed", "OutOfOrder", true,
                JobEnd.failed("OutOfOrder", List.of("Created", "Failed"), new JobEnd.Logs.Any(), false)));
    }

    private void odd(String name, String log) {
        Map<String, Double> metrics = Map.of("auc", 0.91);
        inputs.add(new Input(name, ModelJob.class, List.of(modelJob(name, "Evaluate", JobsWorkload.VERSION, "",
                Manifests.simulated("0s", "300ms", 0, log, "{\"metrics\":{\"auc\":0.91}}"))), "Complete", "Succeeded",
                true, JobEnd.succeeded(metrics, log)));
    }

    private void version(String name, String model, String stage, String condition, String reason, String digest,
            String approval) {
        String actual = "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b";
        ModelVersion version = Manifests.read("""
                apiVersion: modelops.dev/v1alpha1
                kind: ModelVersion
                metadata: {name: %s}
                spec:
                  model: %s
                  version: "1"
                  source:
                    import:
                      uri: https://models.example.com/%s/model.onnx
                      format: ONNX
                      sha256: %s
                      template:
                        image: ghcr.io/modelops-dev/modelops-runner:0.1.0
                        podAnnotations: %s
                  computeStatistics:
                    image: ghcr.io/modelops-dev/modelops-runner:0.1.0
                    dataset: {uri: s3://datasets/%s/reference.parquet}
                    podAnnotations: %s
                  evaluate:
                    image: ghcr.io/acme/eval:1.0.0
                    dataset: {uri: s3://datasets/%s/holdout.csv}
                    podAnnotations: %s
                  approval: %s
                """.formatted(name, model, model, digest == null ? actual : digest,
                Manifests.annotations(Manifests.simulated("0s", "300ms", 0, "importing\n",
                        "{\"artifactUri\":\"s3://models/" + name + "\",\"artifactDigest\":\"" + actual + "\"}")),
                model, Manifests.annotations(Manifests.simulated("0s", "300ms", 0, "profiling\n",
                        "{\"statistics\":{\"rows\":10}}")),
                model, Manifests.annotations(Manifests.simulated("0s", "300ms", 0, "evaluating\n",
                        "{\"metrics\":{\"auc\":0.9}}")), approval), ModelVersion.class);
        inputs.add(new Input(name, ModelVersion.class, List.of(version), condition, reason + "@" + stage, false,
                null));
    }

    private static ModelJob modelJob(String name, String type, String version, String template,
            Map<String, String> simulated) {
        return Manifests.read("""
                apiVersion: modelops.dev/v1alpha1
                kind: ModelJob
                metadata: {name: %s}
                spec:
                  type: %s
                  modelVersion: %s
                  backoffLimit: 0
                  template:
                    image: ghcr.io/acme/chaos:1.0.0
                    podAnnotations: %s
                    %s
                """.formatted(name, type, version, Manifests.annotations(simulated == null
                        ? Manifests.simulated("0s", "300ms", 0, "never runs\n", null) : simulated), template),
                ModelJob.class);
    }

    /** The version that requests out of order are sent to: its Train pod stays pending. */
    private static ModelVersion stuck() {
        return Manifests.read("""
                apiVersion: modelops.dev/v1alpha1
                kind: ModelVersion
                metadata: {name: %s}
                spec:
                  model: stuck
                  version: "1"
                  source:
                    train:
                      image: ghcr.io/acme/train:1.0.0
                      podAnnotations: {"sandbox.modelops.dev/pending": "1h"}
                  evaluate: {image: ghcr.io/acme/eval:1.0.0}
                """.formatted(STUCK), ModelVersion.class);
    }

    @Override
    public void start(HarnessApi api) {
        api.create(stuck());
        inputs.forEach(input -> input.objects().forEach(api::create));
    }

    @Override
    public void step(Snapshot seen, HarnessApi api) {
    }

    @Override
    public boolean settled(Snapshot seen) {
        return inputs.stream().allMatch(input -> problem(input, seen).isEmpty())
                && VersionsWorkload.stage(seen, STUCK) == Stage.Training;
    }

    /** What the input shows instead of its condition; empty when it shows its condition. */
    private Optional<String> problem(Input input, Snapshot seen) {
        String reason = input.reason().split("@")[0];
        Optional<List<Condition>> conditions;
        String more = "";
        if (input.kind() == ModelJob.class) {
            Optional<ModelJob> job = seen.modelJob(input.name());
            conditions = job.map(j -> j.getStatus() == null ? null : j.getStatus().getConditions());
            more = job.map(j -> j.getStatus() == null ? "" : " (" + j.getStatus().getPhase() + ": "
                    + j.getStatus().getMessage() + ")").orElse("");
            boolean phaseRight = job.map(j -> j.getStatus() != null && (input.ended()
                    ? j.getStatus().getPhase() == input.end().phase() : j.getStatus().getPhase() == JobPhase.Pending))
                    .orElse(false);
            if (!phaseRight) {
                return Optional.of("is not " + (input.ended() ? input.end().phase() : "Pending") + more);
            }
        } else if (input.kind() == ModelVersion.class) {
            Optional<ModelVersion> version = seen.version(input.name());
            conditions = version.map(v -> v.getStatus() == null ? null : v.getStatus().getConditions());
            Stage stage = VersionsWorkload.stage(seen, input.name());
            String expected = input.reason().split("@")[1];
            if (stage == null || !stage.name().equals(expected)) {
                return Optional.of("is " + stage + ", expected " + expected);
            }
        } else {
            conditions = seen.prediction(input.name()).map(p -> p.getStatus() == null ? null
                    : p.getStatus().getConditions());
        }
        Optional<Condition> condition = conditions.flatMap(list -> list.stream()
                .filter(c -> c.getType().equals(input.condition())).findFirst());
        boolean holds = condition.map(c -> reason.equals(c.getReason()) && c.getMessage() != null
                && !c.getMessage().isBlank()).orElse(false);
        return holds ? Optional.empty() : Optional.of("its condition " + input.condition() + " is "
                + condition.map(c -> c.getStatus() + " " + c.getReason() + ": " + c.getMessage()).orElse("missing")
                + ", expected reason " + reason + more);
    }

    @Override
    public void check(Snapshot end, Launches launches, Defects defects) {
        for (Input input : inputs) {
            Optional<String> problem = problem(input, end);
            problem.ifPresent(found -> defects.lost("bad input " + input.name(), found));
            if (problem.isEmpty()) {
                handled++;
                if (input.end() != null) {
                    input.end().check(input.name(), end, launches, defects);
                }
            }
        }
        if (VersionsWorkload.stage(end, STUCK) != Stage.Training) {
            defects.lost("ModelVersion " + STUCK, "is " + VersionsWorkload.stage(end, STUCK) + ", expected Training");
        }
    }

    int count() {
        return inputs.size();
    }

    /** The inputs that ended (or wait) with their condition, as {@link #check} found them. */
    int handled() {
        return handled;
    }

    /** ModelJobs that rightly never end: each waits for what its input lacks. */
    Set<String> pendingForever() {
        Set<String> names = inputs.stream().filter(input -> input.kind() == ModelJob.class && !input.ended())
                .map(Input::name).collect(Collectors.toSet());
        names.add(STUCK + "-train-1");
        return names;
    }
}
