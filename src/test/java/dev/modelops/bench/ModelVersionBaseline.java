package dev.modelops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelops.api.v1alpha1.ApprovalRecord;
import dev.modelops.api.v1alpha1.Condition;
import dev.modelops.api.v1alpha1.ConditionStatus;
import dev.modelops.api.v1alpha1.ContainerTemplate;
import dev.modelops.api.v1alpha1.Decision;
import dev.modelops.api.v1alpha1.JobResult;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelJobSpec;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.ModelVersionStatus;
import dev.modelops.api.v1alpha1.Stage;
import dev.modelops.api.v1alpha1.StepJobs;
import dev.modelops.common.Conditions;
import dev.modelops.common.Labels;
import dev.modelops.common.Owners;
import dev.modelops.lifecycle.GateInputs;
import dev.modelops.lifecycle.GateReport;
import dev.modelops.lifecycle.Gates;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The baseline of {@link ModelVersionScenario}: the operator's API work for one imported ModelVersion, written by
 * hand with one fabric8 client and no framework. For each version it creates the five ModelJobs the operator creates
 * (import, compute-statistics, evaluate, approval, deploy) and writes their statuses and one Event per timeline entry
 * as the ModelJob controller does (for the three compute ones also the batch Job, the log read and the logs ConfigMap,
 * as {@link ModelJobBaseline} does); it evaluates the approval gate with the operator's {@link Gates}, creates the
 * model's champion record and writes the version's status at each of the operator's steps, with the same stages,
 * conditions and messages and one Event per condition whose status or reason changes. That includes the writes the
 * operator makes while one of its controllers waits for the other (a step's ModelJob seen before it runs, the Approve
 * and the Deploy seen before they are accepted, the champion being claimed), which one process that does everything
 * in order would not need: the work stays the same, and the README counts them. Work on one version runs in order on
 * one of a few threads, as a controller's work queue would run it.
 */
final class ModelVersionBaseline implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int THREADS = 8;
    private static final List<JobType> STEPS = List.of(JobType.Import, JobType.ComputeStatistics, JobType.Evaluate);
    private static final int REASON_MAX = 1024;

    private final KubernetesClient client;
    private final Lanes lanes = new Lanes(THREADS);
    private final Map<String, Walk> walks = new ConcurrentHashMap<>();
    private final Gates gates = new Gates();
    private final SharedIndexInformer<ModelVersion> versions;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<Job> jobs;

    /** The version's conditions, as the operator names them. */
    private enum Cond {
        Imported, StatisticsComputed, Evaluated, Approved, Deployed, Ready
    }

    /** The reasons of those conditions that this walk takes. */
    private enum Why {
        Pending, Running, Succeeded, Deciding, AwaitingApproval, Approved, Deploying, Deployed, InProgress, Settled
    }

    /** What has been written for one ModelVersion and its ModelJob of the moment. */
    private static final class Walk {
        ModelVersion version;
        ModelVersionStatus status = new ModelVersionStatus();
        int step;
        Step current;
    }

    /** What has been written for one ModelJob. */
    private static final class Step {
        final JobType type;
        ModelJob modelJob;
        final ArrayNode timeline = JSON.createArrayNode();
        boolean running;
        boolean ended;

        Step(JobType type) {
            this.type = type;
        }
    }

    private ModelVersionBaseline(KubernetesClient client) {
        this.client = client;
        versions = client.resources(ModelVersion.class).inform(Lanes.onAddOrUpdate(this::start), 0);
        pods = Lanes.podsByModelJob(client, this::podChanged);
        jobs = client.batch().v1().jobs().withLabel(Labels.MODEL_JOB).inform(Lanes.onAddOrUpdate(this::jobChanged), 0);
    }

    static ModelVersionBaseline start(KubernetesClient client) {
        return new ModelVersionBaseline(client);
    }

    // ---- what starts and moves a walk

    private void start(ModelVersion version) {
        String name = version.getMetadata().getName();
        if (version.getStatus() != null || walks.containsKey(name)) {
            return;
        }
        Walk walk = new Walk();
        walk.version = version;
        walks.put(name, walk);
        lanes.run(name, () -> startStep(walk));
    }

    private void podChanged(Pod pod) {
        Walk walk = walks.get(pod.getMetadata().getLabels().get(Labels.MODEL_VERSION));
        String modelJob = pod.getMetadata().getLabels().get(Labels.MODEL_JOB);
        if (walk == null || !started(pod)) {
            return;
        }
        lanes.run(walk.version.getMetadata().getName(), () -> {
            Step step = walk.current;
            if (step == null || !step.modelJob.getMetadata().getName().equals(modelJob) || step.running
                    || step.ended) {
                return;
            }
            step.running = true;
            podEntries(step, pod);
            patchStatus(step, status("Running", "Pod " + pod.getMetadata().getName() + " is running"));
            set(walk, condition(step.type), false, Why.Running, "ModelJob " + name(step) + " is Running");
            at(walk, stageOf(step.type), step.type + " ModelJob " + name(step) + " is Running");
            writeVersion(walk);
        });
    }

    private void jobChanged(Job batchJob) {
        Walk walk = walks.get(batchJob.getMetadata().getLabels().get(Labels.MODEL_VERSION));
        String modelJob = batchJob.getMetadata().getLabels().get(Labels.MODEL_JOB);
        boolean complete = Lanes.complete(batchJob);
        if (walk == null || !complete) {
            return;
        }
        lanes.run(walk.version.getMetadata().getName(), () -> {
            Step step = walk.current;
            if (step == null || !step.modelJob.getMetadata().getName().equals(modelJob) || step.ended) {
                return;
            }
            step.ended = true;
            JobResult result = keepLogsAndSucceed(step, batchJob);
            stepSucceeded(walk, step, result);
        });
    }

    // ---- the version's walk

    /** Creates the next compute step's ModelJob and launches its Job, writing the version's status as it goes. */
    private void startStep(Walk walk) {
        JobType type = STEPS.get(walk.step);
        String job = childName(walk, type.name(), 1);
        switch (type) {
            case Import -> jobs(walk).setImport(job);
            case ComputeStatistics -> jobs(walk).setComputeStatistics(job);
            default -> jobs(walk).setEvaluate(job);
        }
        set(walk, condition(type), false, Why.Pending, "Creating ModelJob " + job);
        at(walk, stageOf(type), "Creating the " + type + " ModelJob " + job);
        writeVersion(walk);
        Step step = new Step(type);
        step.modelJob = client.resource(modelJob(walk, type, job, null)).create();
        walk.current = step;
        // The operator's ModelVersion controller sees the new ModelJob and says so before its Job runs.
        set(walk, condition(type), false, Why.Running, "ModelJob " + job + " is Pending");
        at(walk, stageOf(type), type + " ModelJob " + job + " is Pending");
        writeVersion(walk);
        // The ModelJob controller names the Job in status, then creates it.
        entry(step, "Created", type + " of ModelVersion " + walk.version.getMetadata().getName() + " requested");
        ObjectNode pending = status("Pending", "Creating Job " + job);
        pending.put("jobName", job);
        patchStatus(step, pending);
        Job created = client.resource(batchJob(walk, step)).create();
        entry(step, "JobCreated", "Created Job " + created.getMetadata().getName());
    }

    private void stepSucceeded(Walk walk, Step step, JobResult result) {
        ModelVersionStatus status = walk.status;
        set(walk, condition(step.type), true, Why.Succeeded, "ModelJob " + name(step) + " succeeded");
        switch (step.type) {
            case Import -> {
                status.setArtifactUri(result.getArtifactUri());
                status.setArtifactDigest(result.getArtifactDigest());
            }
            case ComputeStatistics -> status.setStatistics(result.getStatistics());
            default -> status.setMetrics(new TreeMap<>(result.getMetrics()));
        }
        walk.current = null;
        walk.step++;
        if (walk.step < STEPS.size()) {
            startStep(walk);
        } else {
            decide(walk);
        }
    }

    /** The gates decide: the Approve ModelJob, accepted, recorded, then the automatic deploy. */
    private void decide(Walk walk) {
        ModelVersion version = walk.version;
        String approvalJob = childName(walk, "approval", 1);
        GateReport report = gates.evaluate(version.getSpec().getApproval().getGates(), gateInputs(walk));
        if (!report.passed()) {
            throw new IllegalStateException("the gates of " + version.getMetadata().getName() + " do not pass: "
                    + report.reason(REASON_MAX));
        }
        jobs(walk).setApproval(approvalJob);
        walk.status.setHeadlineMetric("auc=" + walk.status.getMetrics().get("auc"));
        set(walk, Cond.Approved, false, Why.Deciding, "The gates pass; creating ModelJob " + approvalJob
                + " (Approve)");
        at(walk, Stage.AwaitingApproval, "Evaluated; the gates decided Approve through ModelJob " + approvalJob);
        writeVersion(walk);
        Step approval = new Step(JobType.Approve);
        approval.modelJob = client.resource(modelJob(walk, JobType.Approve, approvalJob, report.reason(REASON_MAX)))
                .create();
        // The version sees the request before it is accepted.
        String waiting = "waiting for the Approve or Reject ModelJob to be recorded";
        set(walk, Cond.Approved, false, Why.AwaitingApproval, waiting);
        at(walk, Stage.AwaitingApproval, "Evaluated; " + waiting);
        writeVersion(walk);
        accept(walk, approval);

        ApprovalRecord record = new ApprovalRecord();
        record.setDecision(Decision.Approved);
        record.setReason(approval.modelJob.getSpec().getReason());
        record.setJob(approvalJob);
        record.setTime(Conditions.timestamp(Instant.now()));
        walk.status.setApproval(record);
        String deployJob = childName(walk, "deploy", 1);
        jobs(walk).setDeploy(deployJob);
        set(walk, Cond.Approved, true, Why.Approved, "Approved by ModelJob " + approvalJob + ": " + record.getReason());
        set(walk, Cond.Deployed, false, Why.Deploying, "Creating Deploy ModelJob " + deployJob);
        at(walk, Stage.Deploying, "Approved; deploying automatically through ModelJob " + deployJob);
        walk.status.setChampion(false);
        writeVersion(walk);
        Step deploy = new Step(JobType.Deploy);
        deploy.modelJob = client.resource(modelJob(walk, JobType.Deploy, deployJob,
                "deploy.automatic: approved by ModelJob " + approvalJob)).create();
        done(approval, "ModelVersion " + version.getMetadata().getName() + " is Approved: " + record.getReason());

        set(walk, Cond.Deployed, false, Why.Deploying, "Waiting for Deploy ModelJob " + deployJob + " to be accepted");
        at(walk, Stage.Deploying, "Deploying through ModelJob " + deployJob);
        writeVersion(walk);
        accept(walk, deploy);

        String model = version.getSpec().getModel();
        String claiming = "ModelJob " + deployJob + ": claiming the champion of model " + model;
        set(walk, Cond.Deployed, false, Why.Deploying, claiming);
        at(walk, Stage.Deploying, "Deploying through ModelJob " + deployJob + ": claiming the champion of model "
                + model);
        writeVersion(walk);
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("modelops-champion-" + model)
                .withNamespace(version.getMetadata().getNamespace())
                .addToLabels(Labels.MANAGED_BY, Labels.OPERATOR).addToLabels(Labels.CHAMPION_OF, model)
                .addToLabels(Labels.MODEL, model).endMetadata()
                .addToData("champion", version.getMetadata().getName()).build()).create();

        walk.status.setChampion(true);
        String deployed = "Deployed by ModelJob " + deployJob + "; the champion of model " + model;
        set(walk, Cond.Deployed, true, Why.Deployed, deployed);
        at(walk, Stage.Deployed, deployed);
        writeVersion(walk);
        done(deploy, "ModelVersion " + version.getMetadata().getName() + " is deployed: the champion of model "
                + model);
        walks.remove(version.getMetadata().getName());
    }

    private GateInputs gateInputs(Walk walk) {
        Map<String, Object> self = new LinkedHashMap<>();
        self.put("name", walk.version.getMetadata().getName());
        self.put("model", walk.version.getSpec().getModel());
        self.put("version", walk.version.getSpec().getVersion());
        self.put("artifactUri", walk.status.getArtifactUri());
        self.put("artifactDigest", walk.status.getArtifactDigest());
        return new GateInputs(walk.status.getMetrics(), walk.status.getStatistics(), self, Optional.empty());
    }

    // ---- ModelJobs

    /** A request the version takes at once: accepted (Running), as the ModelJob controller accepts it. */
    private void accept(Walk walk, Step request) {
        entry(request, "Created", request.type + " of ModelVersion " + walk.version.getMetadata().getName()
                + " requested");
        String message = "Accepted: ModelVersion " + walk.version.getMetadata().getName() + " is "
                + walk.status.getStage() + "; waiting for it to record the " + request.type;
        entry(request, "Accepted", message);
        ObjectNode running = status("Running", message);
        running.put("startTime", Conditions.timestamp(Instant.now()));
        patchStatus(request, running);
    }

    /** The version recorded the request: it succeeded. */
    private void done(Step request, String message) {
        entry(request, "Succeeded", message);
        ObjectNode succeeded = status("Succeeded", message);
        succeeded.put("completionTime", Conditions.timestamp(Instant.now()));
        patchStatus(request, succeeded);
    }

    /** The compute step's Job completed: its log kept in a ConfigMap, its result in status. */
    private JobResult keepLogsAndSucceed(Step step, Job batchJob) {
        String name = name(step);
        Pod pod = pods.getIndexer().byIndex(Labels.MODEL_JOB, name).stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("no pod of " + name + " in the cache"));
        String log = client.raw("/api/v1/namespaces/" + pod.getMetadata().getNamespace() + "/pods/"
                + pod.getMetadata().getName() + "/log?container=main");
        client.resource(new ConfigMapBuilder().withNewMetadata().withName(name + "-logs")
                .withNamespace(batchJob.getMetadata().getNamespace())
                .withOwnerReferences(Owners.controller(step.modelJob)).endMetadata()
                .addToData(pod.getMetadata().getName(), log).build()).create();
        if (!step.running) {
            podEntries(step, pod);
        }
        JsonNode result = read(pod.getStatus().getContainerStatuses().get(0).getState().getTerminated().getMessage());
        entry(step, "Succeeded", "Job " + name + " succeeded");
        ObjectNode status = status("Succeeded", "Job " + name + " succeeded");
        status.set("result", result);
        status.putObject("logs").put("configMap", name + "-logs").put("truncated", false);
        status.put("completionTime", Conditions.timestamp(Instant.now()));
        patchStatus(step, status);
        return JSON.convertValue(result, JobResult.class);
    }

    private void podEntries(Step step, Pod pod) {
        entry(step, "PodScheduled", "Pod " + pod.getMetadata().getName() + " scheduled on "
                + pod.getSpec().getNodeName());
        entry(step, "Started", "Pod " + pod.getMetadata().getName() + " started");
    }

    private static boolean started(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
                || pod.getStatus().getContainerStatuses().isEmpty()) {
            return false;
        }
        ContainerState state = pod.getStatus().getContainerStatuses().get(0).getState();
        return state != null && (state.getRunning() != null || state.getTerminated() != null);
    }

    private ModelJob modelJob(Walk walk, JobType type, String name, String reason) {
        ModelVersion version = walk.version;
        ModelJob job = new ModelJob();
        job.getMetadata().setName(name);
        job.getMetadata().setNamespace(version.getMetadata().getNamespace());
        job.getMetadata().setLabels(Map.of(Labels.MANAGED_BY, Labels.OPERATOR,
                Labels.MODEL, version.getSpec().getModel(),
                Labels.MODEL_VERSION, version.getMetadata().getName(),
                Labels.JOB_TYPE, type.name()));
        job.getMetadata().setOwnerReferences(List.of(Owners.controller(version)));
        ModelJobSpec spec = new ModelJobSpec();
        spec.setType(type);
        spec.setModelVersion(version.getMetadata().getName());
        spec.setReason(reason);
        job.setSpec(spec);
        return job;
    }

    /** The step's batch Job: the version's template of the step, labelled as the operator labels it. */
    private static Job batchJob(Walk walk, Step step) {
        ModelVersion version = walk.version;
        ContainerTemplate template = switch (step.type) {
            case Import -> version.getSpec().getSource().getImport().getTemplate();
            case ComputeStatistics -> version.getSpec().getComputeStatistics();
            default -> version.getSpec().getEvaluate();
        };
        String name = name(step);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.MANAGED_BY, Labels.OPERATOR);
        labels.put(Labels.MODEL, version.getSpec().getModel());
        labels.put(Labels.MODEL_VERSION, version.getMetadata().getName());
        labels.put(Labels.JOB_TYPE, step.type.name());
        labels.put(Labels.MODEL_JOB, name);
        return new JobBuilder()
                .withNewMetadata().withName(name).withNamespace(version.getMetadata().getNamespace())
                .withLabels(labels).withOwnerReferences(Owners.controller(step.modelJob)).endMetadata()
                .withNewSpec().withBackoffLimit(0).withTtlSecondsAfterFinished(3600)
                .withNewTemplate()
                .withNewMetadata().withLabels(labels).withAnnotations(template.getPodAnnotations()).endMetadata()
                .withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage(template.getImage()).endContainer()
                .endSpec().endTemplate().endSpec().build();
    }

    private ObjectNode status(String phase, String message) {
        ObjectNode status = JSON.createObjectNode();
        status.put("phase", phase);
        status.put("message", message);
        return status;
    }

    private void entry(Step step, String reason, String message) {
        step.timeline.addObject().put("time", Conditions.timestamp(Instant.now())).put("type", "Normal")
                .put("reason", reason).put("message", message);
        event(step.modelJob, name(step) + "." + reason.toLowerCase(), reason, message);
    }

    private void patchStatus(Step step, ObjectNode status) {
        status.set("timeline", step.timeline.deepCopy());
        ObjectNode patch = JSON.createObjectNode();
        patch.set("status", status);
        step.modelJob = client.resource(step.modelJob).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
    }

    // ---- the version's status

    private static StepJobs jobs(Walk walk) {
        if (walk.status.getJobs() == null) {
            walk.status.setJobs(new StepJobs());
        }
        return walk.status.getJobs();
    }

    /** Sets a condition; an Event on the version when its status or reason changes, as the operator records it. */
    private void set(Walk walk, Cond type, boolean holds, Why reason, String message) {
        Optional<Condition> was = Conditions.find(walk.status.getConditions(), type.name());
        ConditionStatus status = holds ? ConditionStatus.True : ConditionStatus.False;
        walk.status.setConditions(Conditions.set(walk.status.getConditions(), type, status, reason, message,
                walk.version.getMetadata().getGeneration(), Instant.now()));
        boolean changed = was.map(c -> c.getStatus() != status || !c.getReason().equals(reason.name())).orElse(true);
        if (changed && type != Cond.Ready) {
            event(walk.version, walk.version.getMetadata().getName() + "." + type.name().toLowerCase() + "-"
                    + reason.name().toLowerCase(), reason.name(), type + ": " + message);
        }
    }

    private static void at(Walk walk, Stage stage, String message) {
        walk.status.setStage(stage);
        walk.status.setMessage(message);
    }

    private void writeVersion(Walk walk) {
        ModelVersionStatus status = walk.status;
        boolean settled = status.getStage() == Stage.Deployed || status.getStage() == Stage.AwaitingApproval
                && Conditions.find(status.getConditions(), Cond.Approved.name())
                        .map(c -> c.getReason().equals(Why.AwaitingApproval.name())).orElse(false);
        set(walk, Cond.Ready, settled, settled ? Why.Settled : Why.InProgress, status.getMessage());
        status.setObservedGeneration(walk.version.getMetadata().getGeneration());
        ObjectNode patch = JSON.createObjectNode();
        patch.set("status", JSON.valueToTree(status));
        walk.version = client.resource(walk.version).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
    }

    // ---- helpers

    private void event(HasMetadata about, String name, String reason, String message) {
        String now = Conditions.timestamp(Instant.now());
        client.v1().events().resource(new EventBuilder()
                .withNewMetadata().withName(name).withNamespace(about.getMetadata().getNamespace()).endMetadata()
                .withNewInvolvedObject().withApiVersion(about.getApiVersion()).withKind(about.getKind())
                .withName(about.getMetadata().getName()).withNamespace(about.getMetadata().getNamespace())
                .withUid(about.getMetadata().getUid()).endInvolvedObject()
                .withType("Normal").withReason(reason).withMessage(message).withCount(1)
                .withFirstTimestamp(now).withLastTimestamp(now)
                .withNewSource().withComponent("modelops-baseline").endSource()
                .build()).create();
    }

    private static String name(Step step) {
        return step.modelJob.getMetadata().getName();
    }

    /** {@code <version>-<step>-<n>}, as the operator names a version's ModelJobs. */
    private static String childName(Walk walk, String step, int n) {
        return walk.version.getMetadata().getName() + "-"
                + step.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase() + "-" + n;
    }

    private static Cond condition(JobType step) {
        return switch (step) {
            case Import -> Cond.Imported;
            case ComputeStatistics -> Cond.StatisticsComputed;
            default -> Cond.Evaluated;
        };
    }

    private static Stage stageOf(JobType step) {
        return switch (step) {
            case Import -> Stage.Importing;
            case ComputeStatistics -> Stage.ComputingStatistics;
            default -> Stage.Evaluating;
        };
    }


    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("not a result: " + json, e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        List.of(versions, pods, jobs).forEach(SharedIndexInformer::stop);
        lanes.close();
    }
}
