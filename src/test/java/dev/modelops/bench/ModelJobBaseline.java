package dev.modelops.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.common.Labels;
import dev.modelops.common.Owners;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The baseline: the operator's API work for compute ModelJobs written by hand with one fabric8 client and no
 * framework. Create the Job, write the status when it is created, when its pod runs and when it ends, keep the log
 * in a ConfigMap and record one Event per timeline entry. Work on one ModelJob runs in order on one of a few
 * threads, as a controller's work queue would run it.
 */
final class ModelJobBaseline implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int THREADS = 8;

    private final KubernetesClient client;
    private final Lanes lanes = new Lanes(THREADS);
    private final Map<String, Progress> progress = new ConcurrentHashMap<>();
    private final SharedIndexInformer<ModelJob> modelJobs;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<Job> jobs;

    /** What has been written for one ModelJob. */
    private static final class Progress {
        ModelJob modelJob;
        final ArrayNode timeline = JSON.createArrayNode();
        boolean running;
        boolean ended;
    }

    private ModelJobBaseline(KubernetesClient client) {
        this.client = client;
        modelJobs = client.resources(ModelJob.class).inform(Lanes.onAddOrUpdate(this::launch), 0);
        pods = Lanes.podsByModelJob(client, this::podChanged);
        jobs = client.batch().v1().jobs().withLabel(Labels.MODEL_JOB).inform(Lanes.onAddOrUpdate(this::jobChanged), 0);
    }

    static ModelJobBaseline start(KubernetesClient client) {
        return new ModelJobBaseline(client);
    }

    private void launch(ModelJob modelJob) {
        String name = modelJob.getMetadata().getName();
        if (modelJob.getStatus() != null || progress.containsKey(name)) {
            return;
        }
        Progress job = new Progress();
        job.modelJob = modelJob;
        progress.put(name, job);
        lanes.run(name, () -> {
            client.resource(job(modelJob)).create();
            entry(job, "Created", "ModelJob created");
            entry(job, "JobCreated", "created Job " + name);
            patchStatus(job, status("Pending").put("jobName", name));
        });
    }

    private void podChanged(Pod pod) {
        String name = pod.getMetadata().getLabels().get(Labels.MODEL_JOB);
        Progress job = progress.get(name);
        if (job == null || !"Running".equals(pod.getStatus().getPhase())) {
            return;
        }
        lanes.run(name, () -> {
            if (job.running || job.ended) {
                return;
            }
            job.running = true;
            entry(job, "PodScheduled", "pod " + pod.getMetadata().getName() + " scheduled");
            entry(job, "Started", "pod " + pod.getMetadata().getName() + " started");
            patchStatus(job, status("Running"));
        });
    }

    private void jobChanged(Job batchJob) {
        String name = batchJob.getMetadata().getLabels().get(Labels.MODEL_JOB);
        Progress job = progress.get(name);
        boolean complete = Lanes.complete(batchJob);
        if (job == null || !complete) {
            return;
        }
        lanes.run(name, () -> {
            if (job.ended) {
                return;
            }
            job.ended = true;
            Pod pod = pods.getIndexer().byIndex(Labels.MODEL_JOB, name).stream().findFirst()
                    .orElseThrow(() -> new IllegalStateException("no pod of " + name + " in the cache"));
            String log = client.raw("/api/v1/namespaces/" + pod.getMetadata().getNamespace() + "/pods/"
                    + pod.getMetadata().getName() + "/log?container=main");
            client.resource(new ConfigMapBuilder().withNewMetadata().withName(name + "-logs")
                    .withNamespace(batchJob.getMetadata().getNamespace())
                    .withOwnerReferences(Owners.controller(job.modelJob)).endMetadata()
                    .addToData(pod.getMetadata().getName(), log).build()).create();
            if (!job.running) {
                entry(job, "PodScheduled", "pod " + pod.getMetadata().getName() + " scheduled");
                entry(job, "Started", "pod " + pod.getMetadata().getName() + " started");
            }
            entry(job, "Succeeded", "Job " + name + " succeeded");
            ObjectNode status = status("Succeeded");
            status.set("result", read(pod.getStatus().getContainerStatuses().get(0).getState().getTerminated()
                    .getMessage()));
            status.putObject("logs").put("configMap", name + "-logs").put("truncated", false);
            patchStatus(job, status);
        });
    }

    private ObjectNode status(String phase) {
        ObjectNode status = JSON.createObjectNode();
        status.put("phase", phase);
        return status;
    }

    private void entry(Progress job, String reason, String message) {
        String now = Instant.now().toString();
        job.timeline.addObject().put("time", now).put("type", "Normal").put("reason", reason).put("message", message);
        ModelJob about = job.modelJob;
        client.v1().events().resource(new EventBuilder()
                .withNewMetadata().withName(about.getMetadata().getName() + "." + reason.toLowerCase())
                .withNamespace(about.getMetadata().getNamespace()).endMetadata()
                .withNewInvolvedObject().withApiVersion(about.getApiVersion()).withKind(about.getKind())
                .withName(about.getMetadata().getName()).withNamespace(about.getMetadata().getNamespace())
                .withUid(about.getMetadata().getUid()).endInvolvedObject()
                .withType("Normal").withReason(reason).withMessage(message).withCount(1)
                .withFirstTimestamp(now).withLastTimestamp(now)
                .withNewSource().withComponent("modelops-baseline").endSource()
                .build()).create();
    }

    private void patchStatus(Progress job, ObjectNode status) {
        status.set("timeline", job.timeline.deepCopy());
        ObjectNode patch = JSON.createObjectNode();
        patch.set("status", status);
        job.modelJob = client.resource(job.modelJob).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
    }

    private static Job job(ModelJob modelJob) {
        String name = modelJob.getMetadata().getName();
        return new JobBuilder()
                .withNewMetadata().withName(name).withNamespace(modelJob.getMetadata().getNamespace())
                .addToLabels(Labels.MODEL_JOB, name).withOwnerReferences(Owners.controller(modelJob)).endMetadata()
                .withNewSpec().withBackoffLimit(0).withTtlSecondsAfterFinished(3600)
                .withNewTemplate()
                .withNewMetadata().addToLabels(Labels.MODEL_JOB, name)
                .withAnnotations(modelJob.getSpec().getTemplate().getPodAnnotations()).endMetadata()
                .withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage(ModelJobScenario.IMAGE).endContainer()
                .endSpec().endTemplate().endSpec().build();
    }


    private static com.fasterxml.jackson.databind.JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("not a result: " + json, e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        List.of(modelJobs, pods, jobs).forEach(SharedIndexInformer::stop);
        lanes.close();
    }
}
