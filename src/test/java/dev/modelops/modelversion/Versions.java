package dev.modelops.modelversion;

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
import dev.modelops.api.v1alpha1.ModelJobSpec;
import dev.modelops.api.v1alpha1.ModelSource;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.ModelVersionSpec;
import dev.modelops.api.v1alpha1.OnlineServing;
import dev.modelops.api.v1alpha1.Stage;
import dev.modelops.api.v1alpha1.StepTemplate;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.awaitility.core.ConditionTimeoutException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** Builders of ModelVersions whose simulated steps report results, and waits on their stages. */
final class Versions {

    static final String DIGEST = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private final ModelVersion version = new ModelVersion();

    private Versions(String name, String model) {
        version.getMetadata().setName(name);
        version.setSpec(new ModelVersionSpec());
        version.getSpec().setModel(model);
        version.getSpec().setVersion(name.replaceAll("^.*-v", ""));
    }

    /** A version trained here: its Train reports an artifact, its Evaluate the given auc. */
    static Versions trained(String name, String model, double auc) {
        Versions v = new Versions(name, model);
        ModelSource source = new ModelSource();
        source.setTrain(step("ghcr.io/acme/churn-train:1.4.0", "s3://datasets/churn/2026-10.csv",
                "{\"artifactUri\":\"s3://models/" + name + "/model.onnx\",\"artifactDigest\":\"" + DIGEST + "\"}"));
        v.version.getSpec().setSource(source);
        v.version.getSpec().setEvaluate(step("ghcr.io/acme/churn-eval:1.4.0", "s3://datasets/churn/holdout.csv",
                "{\"metrics\":{\"auc\":" + auc + ",\"accuracy\":0.88}}"));
        return v;
    }

    /** A model trained elsewhere: Import reports the given digest, ComputeStatistics rows, Evaluate the auc. */
    static Versions imported(String name, String model, String reportedDigest, double auc) {
        Versions v = new Versions(name, model);
        ImportSource imported = new ImportSource();
        imported.setUri("s3://acme-models/" + name + "/model.onnx");
        imported.setFormat(ModelFormat.ONNX);
        imported.setSha256(DIGEST);
        imported.setTemplate(annotated("{\"artifactUri\":\"s3://modelops-artifacts/" + name + "/model.onnx\","
                + "\"artifactDigest\":\"" + reportedDigest + "\"}"));
        imported.getTemplate().setImage("ghcr.io/modelops-dev/modelops-runner:0.1.0");
        ModelSource source = new ModelSource();
        source.setImport(imported);
        v.version.getSpec().setSource(source);
        v.version.getSpec().setComputeStatistics(step("ghcr.io/modelops-dev/modelops-runner:0.1.0",
                "s3://datasets/churn/reference.csv",
                "{\"statistics\":{\"rows\":20000,\"uri\":\"s3://modelops-artifacts/" + name + "/statistics.json\"}}"));
        v.version.getSpec().setEvaluate(step("ghcr.io/modelops-dev/modelops-runner:0.1.0",
                "s3://datasets/churn/holdout.csv", "{\"metrics\":{\"auc\":" + auc + "}}"));
        return v;
    }

    Versions automatic(String... gates) {
        ApprovalPolicy approval = new ApprovalPolicy();
        approval.setMode(ApprovalMode.Automatic);
        approval.setGates(List.of(gates));
        version.getSpec().setApproval(approval);
        return this;
    }

    Versions deployAutomatically() {
        deployPolicy().setAutomatic(true);
        return this;
    }

    Versions online(String image, Map<String, String> podAnnotations) {
        DeployPolicy deploy = deployPolicy();
        deploy.setMode(DeployMode.Online);
        OnlineServing online = new OnlineServing();
        online.setImage(image);
        online.setPort(8080);
        online.setReplicas(2);
        online.setPodAnnotations(podAnnotations);
        deploy.setOnline(online);
        return this;
    }

    Versions trainingTakes(String duration) {
        version.getSpec().getSource().getTrain().getPodAnnotations().put("sandbox.modelops.dev/duration", duration);
        return this;
    }

    Versions trainingFails() {
        version.getSpec().getSource().getTrain().getPodAnnotations().put("sandbox.modelops.dev/exit-code", "1");
        return this;
    }

    Versions deadline(long seconds) {
        version.getSpec().setActiveDeadlineSeconds(seconds);
        return this;
    }

    private DeployPolicy deployPolicy() {
        if (version.getSpec().getDeploy() == null) {
            version.getSpec().setDeploy(new DeployPolicy());
        }
        return version.getSpec().getDeploy();
    }

    ModelVersion create(KubernetesClient client) {
        return client.resource(version).create();
    }

    static ModelJob request(KubernetesClient client, String name, JobType type, String version, String reason) {
        ModelJob job = new ModelJob();
        job.getMetadata().setName(name);
        job.setSpec(new ModelJobSpec());
        job.getSpec().setType(type);
        job.getSpec().setModelVersion(version);
        job.getSpec().setReason(reason);
        return client.resource(job).create();
    }

    static ModelVersion get(KubernetesClient client, String name) {
        return client.resources(ModelVersion.class).withName(name).get();
    }

    static ModelJob job(KubernetesClient client, String name) {
        return client.resources(ModelJob.class).withName(name).get();
    }

    static ModelVersion awaitStage(KubernetesClient client, String name, Stage stage) {
        // A walk is several ModelJobs one after the other: on two cores shared with a build it can take tens of seconds.
        return awaitStage(client, name, stage, java.time.Duration.ofSeconds(60));
    }

    static ModelVersion awaitStage(KubernetesClient client, String name, Stage stage, java.time.Duration atMost) {
        try {
            await().atMost(atMost).until(() -> {
                ModelVersion v = get(client, name);
                return v != null && v.getStatus() != null && v.getStatus().getStage() == stage;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("ModelVersion " + name + " never reached " + stage + ": "
                    + Serialization.asYaml(get(client, name).getStatus()) + "\nits ModelJobs:\n"
                    + client.resources(ModelJob.class).list().getItems().stream()
                            .filter(j -> j.getSpec().getModelVersion().equals(name))
                            .map(j -> j.getMetadata().getName() + " " + Serialization.asYaml(j.getStatus()))
                            .collect(java.util.stream.Collectors.joining("\n")), e);
        }
        return get(client, name);
    }

    static ModelJob awaitEnded(KubernetesClient client, String name) {
        await().atMost(java.time.Duration.ofSeconds(60)).until(() -> {
            ModelJob j = job(client, name);
            return j != null && j.getStatus() != null && j.getStatus().getCompletionTime() != null;
        });
        return job(client, name);
    }

    private static StepTemplate step(String image, String dataset, String report) {
        StepTemplate step = new StepTemplate();
        step.setImage(image);
        DataLocation location = new DataLocation();
        location.setUri(dataset);
        step.setDataset(location);
        step.setPodAnnotations(annotations(report));
        return step;
    }

    private static ContainerTemplate annotated(String report) {
        ContainerTemplate template = new ContainerTemplate();
        template.setPodAnnotations(annotations(report));
        return template;
    }

    private static Map<String, String> annotations(String report) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("sandbox.modelops.dev/duration", "100ms");
        annotations.put("sandbox.modelops.dev/termination-message", report);
        return annotations;
    }
}
