package dev.modelops.bench;

import dev.modelops.api.v1alpha1.ContainerTemplate;
import dev.modelops.api.v1alpha1.DataLocation;
import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelJobSpec;
import dev.modelops.api.v1alpha1.ModelSource;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.ModelVersionSpec;
import dev.modelops.api.v1alpha1.StepTemplate;
import dev.modelops.common.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Collection;
import java.util.Map;

/**
 * Compute ModelJobs (Evaluate) whose simulated container runs for no time and reports its metrics: each unit is
 * one Job, one pod, a result, a logs ConfigMap and one Event per timeline entry.
 */
final class ModelJobScenario implements Scenario<ModelJob> {

    static final String MODEL_VERSION = "bench-v1";
    static final String IMAGE = "ghcr.io/acme/churn-eval:1.4.0";
    static final String RESULT = "{\"metrics\":{\"auc\":0.91}}";

    @Override
    public String name() {
        return "modeljob-evaluate";
    }

    @Override
    public String description() {
        return "N units created at once, each a zero-duration simulated container";
    }

    @Override
    public Class<ModelJob> unitType() {
        return ModelJob.class;
    }

    @Override
    public void prepare(KubernetesClient client) {
        ModelVersion version = new ModelVersion();
        version.getMetadata().setName(MODEL_VERSION);
        ModelVersionSpec spec = new ModelVersionSpec();
        spec.setModel("bench");
        spec.setVersion("1");
        ModelSource source = new ModelSource();
        StepTemplate train = new StepTemplate();
        train.setImage("ghcr.io/acme/churn-train:1.4.0");
        train.setDataset(dataset("s3://datasets/churn/2026-10.csv"));
        source.setTrain(train);
        spec.setSource(source);
        StepTemplate evaluate = new StepTemplate();
        evaluate.setImage(IMAGE);
        evaluate.setDataset(dataset("s3://datasets/churn/holdout.csv"));
        spec.setEvaluate(evaluate);
        version.setSpec(spec);
        client.resource(version).create();
    }

    @Override
    public ModelJob unit(String prefix, int index) {
        ModelJob job = new ModelJob();
        job.getMetadata().setName(prefix + "-" + index);
        ModelJobSpec spec = new ModelJobSpec();
        spec.setType(JobType.Evaluate);
        spec.setModelVersion(MODEL_VERSION);
        ContainerTemplate template = new ContainerTemplate();
        template.setPodAnnotations(Map.of(
                "sandbox.modelops.dev/duration", "0s",
                "sandbox.modelops.dev/log", "evaluating " + job.getMetadata().getName() + "\nauc=0.91\n",
                "sandbox.modelops.dev/termination-message", RESULT));
        spec.setTemplate(template);
        job.setSpec(spec);
        return job;
    }

    @Override
    public boolean finished(ModelJob unit) {
        return unit.getStatus() != null && unit.getStatus().getPhase() == JobPhase.Succeeded
                && unit.getStatus().getResult() != null && unit.getStatus().getLogs() != null;
    }

    @Override
    public double meanTimelineEntries(KubernetesClient client, Collection<ModelJob> finished) {
        return finished.stream().mapToInt(ModelJobScenario::timelineEntries).average().orElse(0);
    }

    static int timelineEntries(ModelJob unit) {
        return unit.getStatus() == null || unit.getStatus().getTimeline() == null ? 0
                : unit.getStatus().getTimeline().size();
    }

    @Override
    public Class<? extends HasMetadata> launchedType() {
        return Job.class;
    }

    @Override
    public String unitOf(HasMetadata launched) {
        Map<String, String> labels = launched.getMetadata().getLabels();
        return labels == null ? null : labels.get(Labels.MODEL_JOB);
    }

    @Override
    public AutoCloseable startBaseline(KubernetesClient client) {
        return ModelJobBaseline.start(client);
    }

    private static DataLocation dataset(String uri) {
        DataLocation location = new DataLocation();
        location.setUri(uri);
        return location;
    }
}
