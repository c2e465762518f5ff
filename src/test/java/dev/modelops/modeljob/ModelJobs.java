package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.ContainerTemplate;
import dev.modelops.api.v1alpha1.DataLocation;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelJobSpec;
import dev.modelops.api.v1alpha1.ModelSource;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.ModelVersionSpec;
import dev.modelops.api.v1alpha1.Stage;
import dev.modelops.api.v1alpha1.StepTemplate;
import dev.modelops.common.Conditions;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** Builders of ModelVersions and ModelJobs for the controller tests, and waits on what a user would wait for. */
final class ModelJobs {

    private final ModelJob modelJob = new ModelJob();
    private final Map<String, String> annotations = new LinkedHashMap<>();

    private ModelJobs(String name, JobType type, String modelVersion) {
        modelJob.getMetadata().setName(name);
        modelJob.setSpec(new ModelJobSpec());
        modelJob.getSpec().setType(type);
        modelJob.getSpec().setModelVersion(modelVersion);
    }

    static ModelJobs modelJob(String name, JobType type, String modelVersion) {
        return new ModelJobs(name, type, modelVersion);
    }

    /** A simulated container that runs for a while, logs and reports: see the sandbox.modelops.dev annotations. */
    ModelJobs runs(String duration) {
        annotations.put("sandbox.modelops.dev/duration", duration);
        return this;
    }

    ModelJobs pending(String duration) {
        annotations.put("sandbox.modelops.dev/pending", duration);
        return this;
    }

    ModelJobs logs(String log) {
        annotations.put("sandbox.modelops.dev/log", log);
        return this;
    }

    ModelJobs exits(int code) {
        annotations.put("sandbox.modelops.dev/exit-code", Integer.toString(code));
        return this;
    }

    ModelJobs reports(String terminationMessage) {
        annotations.put("sandbox.modelops.dev/termination-message", terminationMessage);
        return this;
    }

    ModelJobs cannotPullItsImage() {
        annotations.put("sandbox.modelops.dev/image-pull-error", "true");
        return this;
    }

    ModelJobs template(ContainerTemplate template) {
        modelJob.getSpec().setTemplate(template);
        return this;
    }

    ModelJobs stopped(String reason) {
        modelJob.getSpec().setStop(true);
        modelJob.getSpec().setReason(reason);
        return this;
    }

    ModelJob build() {
        if (!annotations.isEmpty()) {
            if (modelJob.getSpec().getTemplate() == null) {
                modelJob.getSpec().setTemplate(new ContainerTemplate());
            }
            modelJob.getSpec().getTemplate().setPodAnnotations(annotations);
        }
        return modelJob;
    }

    ModelJob create(KubernetesClient client) {
        return client.resource(build()).create();
    }

    /** A trained version whose steps run the given images; its evaluate step reads a hold-out dataset. */
    static ModelVersion version(String name) {
        ModelVersion version = new ModelVersion();
        version.getMetadata().setName(name);
        ModelVersionSpec spec = new ModelVersionSpec();
        spec.setModel("churn");
        spec.setVersion(name.replaceAll("\\D", "").isEmpty() ? "1" : name.replaceAll("\\D", ""));
        ModelSource source = new ModelSource();
        StepTemplate train = new StepTemplate();
        train.setImage("ghcr.io/acme/churn-train:1.4.0");
        train.setDataset(dataset("s3://datasets/churn/2026-10.csv"));
        train.setEnv(List.of(new EnvVar("EPOCHS", "20", null)));
        source.setTrain(train);
        spec.setSource(source);
        StepTemplate evaluate = new StepTemplate();
        evaluate.setImage("ghcr.io/acme/churn-eval:1.4.0");
        evaluate.setDataset(dataset("s3://datasets/churn/holdout.csv"));
        spec.setEvaluate(evaluate);
        version.setSpec(spec);
        return version;
    }

    private static DataLocation dataset(String uri) {
        DataLocation location = new DataLocation();
        location.setUri(uri);
        return location;
    }

    /** The version, created unless a test of the same class created it before. */
    static void ensureVersion(KubernetesClient client, String name) {
        if (client.resources(ModelVersion.class).withName(name).get() == null) {
            client.resource(version(name)).create();
        }
    }

    /**
     * The version, created and left to walk its own steps (its Train and Evaluate ModelJobs) until it awaits
     * approval, so that what a test counts afterwards is its own ModelJobs' doing.
     */
    static void settledVersion(KubernetesClient client, String name) {
        client.resource(version(name)).create();
        await().until(() -> {
            ModelVersion version = client.resources(ModelVersion.class).withName(name).get();
            return version.getStatus() != null && version.getStatus().getStage() == Stage.AwaitingApproval;
        });
    }

    static ModelJob get(KubernetesClient client, String name) {
        return client.resources(ModelJob.class).withName(name).get();
    }

    /** Waits as {@code kubectl wait --for=condition=<type> mj/<name>} does. */
    static ModelJob awaitCondition(KubernetesClient client, String name, String type) {
        await().until(() -> {
            ModelJob job = get(client, name);
            return job != null && job.getStatus() != null && Conditions.isTrue(job.getStatus().getConditions(), type);
        });
        return get(client, name);
    }
}
