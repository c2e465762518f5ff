package dev.modelops.bench;

import dev.modelops.api.v1alpha1.ApprovalMode;
import dev.modelops.api.v1alpha1.ApprovalPolicy;
import dev.modelops.api.v1alpha1.ContainerTemplate;
import dev.modelops.api.v1alpha1.DataLocation;
import dev.modelops.api.v1alpha1.DeployMode;
import dev.modelops.api.v1alpha1.DeployPolicy;
import dev.modelops.api.v1alpha1.ImportSource;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelFormat;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelSource;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.ModelVersionSpec;
import dev.modelops.api.v1alpha1.Stage;
import dev.modelops.api.v1alpha1.StepTemplate;
import dev.modelops.common.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Imported ModelVersions ("bring your own model") walked to production: Import, ComputeStatistics and Evaluate (each a
 * ModelJob with a batch Job whose simulated container runs for no time and reports its result), approval by a CEL gate
 * that passes (an Approve ModelJob), automatic deploy in Batch mode (a Deploy ModelJob) and the model's champion
 * record. Each unit is one version of a model of its own (model name = version name), so no deploy waits for a
 * champion to step down.
 */
final class ModelVersionScenario implements Scenario<ModelVersion> {

    static final String RUNNER = "ghcr.io/modelops-dev/modelops-runner:0.1.0";
    static final String DIGEST = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    static final String GATE = "metrics.auc >= 0.85";

    @Override
    public String name() {
        return "modelversion-byom";
    }

    @Override
    public String description() {
        return "N imported ModelVersions created at once, each Import, ComputeStatistics, Evaluate (zero-duration"
                + " simulated containers), approved by its gate and deployed (Batch), one model each";
    }

    @Override
    public String unitNoun() {
        return "version";
    }

    @Override
    public String latencyEnd() {
        return "its Import's Job created";
    }

    /**
     * One size unless {@code BENCH_N} says otherwise: on 2 cores N = 100 takes about 3 minutes and N = 1,000 another
     * 10, which with the ModelJob scenario would take the default run well past 10 minutes.
     */
    @Override
    public List<Integer> defaultSizes() {
        return List.of(100);
    }

    /** A version is five ModelJobs and three batch Jobs: fewer units warm the harness as much. */
    @Override
    public int warmUpUnits() {
        return 40;
    }

    /**
     * A version costs the API server and the runtime about as much as eight compute ModelJobs: a stream of 100 a
     * second would measure how far the backlog grows, not how soon a version starts.
     */
    @Override
    public int latencyRate() {
        return 2;
    }

    @Override
    public Duration timeoutPerUnit() {
        return Duration.ofSeconds(1);
    }

    @Override
    public Class<ModelVersion> unitType() {
        return ModelVersion.class;
    }

    @Override
    public void prepare(KubernetesClient client) {
    }

    @Override
    public ModelVersion unit(String prefix, int index) {
        String name = prefix + "-" + index;
        ModelVersion version = new ModelVersion();
        version.getMetadata().setName(name);
        ModelVersionSpec spec = new ModelVersionSpec();
        spec.setModel(name);
        spec.setVersion("1");
        ImportSource imported = new ImportSource();
        imported.setUri("s3://acme-models/" + name + "/model.onnx");
        imported.setFormat(ModelFormat.ONNX);
        imported.setSha256(DIGEST);
        ContainerTemplate template = new ContainerTemplate();
        template.setImage(RUNNER);
        template.setPodAnnotations(annotations("importing " + name,
                "{\"artifactUri\":\"s3://modelops-artifacts/" + name + "/model.onnx\",\"artifactDigest\":\"" + DIGEST
                        + "\"}"));
        imported.setTemplate(template);
        ModelSource source = new ModelSource();
        source.setImport(imported);
        spec.setSource(source);
        spec.setComputeStatistics(step("s3://datasets/churn/reference.csv", annotations("profiling " + name,
                "{\"statistics\":{\"rows\":20000,\"uri\":\"s3://modelops-artifacts/" + name + "/statistics.json\"}}")));
        spec.setEvaluate(step("s3://datasets/churn/holdout.csv", annotations("evaluating " + name,
                "{\"metrics\":{\"auc\":0.91}}")));
        ApprovalPolicy approval = new ApprovalPolicy();
        approval.setMode(ApprovalMode.Automatic);
        approval.setGates(List.of(GATE));
        spec.setApproval(approval);
        DeployPolicy deploy = new DeployPolicy();
        deploy.setMode(DeployMode.Batch);
        deploy.setAutomatic(true);
        spec.setDeploy(deploy);
        version.setSpec(spec);
        return version;
    }

    @Override
    public boolean finished(ModelVersion unit) {
        return unit.getStatus() != null && unit.getStatus().getStage() == Stage.Deployed
                && Boolean.TRUE.equals(unit.getStatus().getChampion());
    }

    /** The timeline entries of the version's ModelJobs; its own Events (one per condition change) add to them. */
    @Override
    public double meanTimelineEntries(KubernetesClient client, Collection<ModelVersion> finished) {
        Set<String> names = finished.stream().map(v -> v.getMetadata().getName()).collect(Collectors.toSet());
        long entries = client.resources(ModelJob.class).list().getItems().stream()
                .filter(job -> names.contains(job.getSpec().getModelVersion()))
                .mapToLong(ModelJobScenario::timelineEntries).sum();
        return finished.isEmpty() ? 0 : (double) entries / finished.size();
    }

    @Override
    public Class<? extends HasMetadata> launchedType() {
        return Job.class;
    }

    /** The version, for its Import's Job only: the latency ends at the first Job of a version. */
    @Override
    public String unitOf(HasMetadata launched) {
        Map<String, String> labels = launched.getMetadata().getLabels();
        return labels == null || !JobType.Import.name().equals(labels.get(Labels.JOB_TYPE)) ? null
                : labels.get(Labels.MODEL_VERSION);
    }

    @Override
    public AutoCloseable startBaseline(KubernetesClient client) {
        return ModelVersionBaseline.start(client);
    }

    private static StepTemplate step(String dataset, Map<String, String> annotations) {
        StepTemplate step = new StepTemplate();
        step.setImage(RUNNER);
        DataLocation location = new DataLocation();
        location.setUri(dataset);
        step.setDataset(location);
        step.setPodAnnotations(annotations);
        return step;
    }

    private static Map<String, String> annotations(String log, String result) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("sandbox.modelops.dev/duration", "0s");
        annotations.put("sandbox.modelops.dev/log", log + "\n");
        annotations.put("sandbox.modelops.dev/termination-message", result);
        return annotations;
    }
}
