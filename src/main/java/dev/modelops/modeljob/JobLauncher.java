package dev.modelops.modeljob;

import dev.modelops.api.Rfc3339;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.common.ApiErrors;
import dev.modelops.common.Labels;
import dev.modelops.common.Owners;
import dev.modelops.lifecycle.JobLifecycle;
import dev.modelops.workload.PodRequest;
import dev.modelops.workload.PodTemplates;
import dev.modelops.workload.TemplateRefusal;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Launches and stops a ModelJob's batch Job through the API server, and says what went wrong when it could not:
 * a refusal that trying again would repeat fails the ModelJob; anything else is tried again.
 */
final class JobLauncher {

    private static final Logger LOG = Logger.getLogger(JobLauncher.class);
    private static final Set<String> OPERATOR_LABELS = Set.of(Labels.MANAGED_BY, Labels.MODEL, Labels.MODEL_VERSION,
            Labels.JOB_TYPE, Labels.MODEL_JOB, Labels.BATCH_PREDICTION);

    private final PodTemplates pods;

    JobLauncher(PodTemplates pods) {
        this.pods = pods;
    }

    /** Whether the Job may be created: its template is allowed and its name is free. */
    Launch check(ModelJob modelJob, ModelVersion version, Children children) {
        PodRequest request = BatchJobSpec.podRequest(modelJob, version);
        Optional<TemplateRefusal> refusal = pods.refusal(request);
        if (refusal.isPresent()) {
            FailureReason reason = switch (refusal.get().problem()) {
                case NoImage -> FailureReason.NoImage;
                case PodSecurityExceeded -> FailureReason.PodSecurityExceeded;
                case ServiceAccountNotAllowed -> FailureReason.ServiceAccountNotAllowed;
            };
            return new Launch.Refused(reason, refusal.get().message());
        }
        return children.foreignJob().<Launch>map(foreign -> nameTaken(modelJob, foreign))
                .orElseGet(() -> new Launch.Intended(pods.notRestricted(request,
                        "Job " + modelJob.getMetadata().getName())));
    }

    /**
     * Creates the Job through the workflow, whose precondition {@link LaunchRecorded} holds once the status names
     * the Job. The workflow runs on the reconciled ModelJob, which the status write before has updated in place.
     */
    Launch launch(ModelJob modelJob, Context<ModelJob> context) {
        Collection<Exception> errors;
        try {
            errors = context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow()
                    .getErroredDependents().values();
        } catch (AggregatedOperatorException e) { // QOSDK does not pass on handleExceptionsInReconciler
            errors = e.getAggregatedExceptions().values();
        }
        for (Exception error : errors) {
            if (!(error instanceof KubernetesClientException refused)) {
                throw error instanceof RuntimeException runtime ? runtime : new IllegalStateException(error);
            }
            if (refused.getCode() == 400 || refused.getCode() == 422) {
                return new Launch.Refused(FailureReason.JobRejected,
                        "the API server refused the Job: " + ApiErrors.message(refused));
            }
            return afterFailedCreate(modelJob, context.getClient(), refused);
        }
        return new Launch.Launched();
    }

    /**
     * Takes up a launch that the status records but nobody has seen happen: the operator stopped between naming the
     * Job and creating it, or after creating it and before seeing it. What the API server holds decides: the Job
     * itself (the cache has not shown it yet), another object's Job of that name, the trace of a Job of this
     * ModelJob's that made pods and was deleted (its controller's Events, newer than the ModelJob; it may have run,
     * so it is lost and never created again), or nothing: then no pod of it has run, and it is created now.
     */
    Launch resume(ModelJob modelJob, Context<ModelJob> context) {
        KubernetesClient client = context.getClient();
        Job existing = client.batch().v1().jobs().inNamespace(modelJob.getMetadata().getNamespace())
                .withName(modelJob.getMetadata().getName()).get();
        if (existing != null) {
            return Owners.ownedBy(existing, modelJob) ? new Launch.Launched() : nameTaken(modelJob, existing);
        }
        if (leftEvents(modelJob, client)) {
            return Launch.none();
        }
        LOG.infof("ModelJob %s/%s: its Job was named but never seen; creating it",
                modelJob.getMetadata().getNamespace(), modelJob.getMetadata().getName());
        return launch(modelJob, context);
    }

    /**
     * Whether the status shows that the ModelJob's Job was seen: its creation in the timeline, or a pod. The status
     * names the Job before it is created; only what was seen after proves that it existed.
     */
    static boolean jobSeen(ModelJob modelJob) {
        var status = modelJob.getStatus();
        return status != null && (status.getStartTime() != null
                || status.getPodNames() != null && !status.getPodNames().isEmpty()
                || status.getTimeline() != null && status.getTimeline().stream()
                        .anyMatch(entry -> ModelJobReason.JobCreated.name().equals(entry.getReason())));
    }

    /**
     * Whether a Job of the ModelJob's name has Events newer than the ModelJob: its controller records one for each
     * pod it creates. An earlier Job of the same name left only older ones.
     */
    private static boolean leftEvents(ModelJob modelJob, KubernetesClient client) {
        Instant created = Rfc3339.instant(modelJob.getMetadata().getCreationTimestamp());
        return client.v1().events().inNamespace(modelJob.getMetadata().getNamespace())
                .withField("involvedObject.name", modelJob.getMetadata().getName()).list().getItems().stream()
                .filter(event -> "Job".equals(event.getInvolvedObject().getKind()))
                .map(JobLauncher::lastSeen).filter(time -> !time.isEmpty())
                .anyMatch(time -> !Rfc3339.instant(time).isBefore(created));
    }

    /**
     * The create failed: the name is taken (409), the API server refused it for now (403 of a quota or RBAC, 429),
     * or the answer was lost. What is there decides: this ModelJob's Job (it was created after all), another
     * object's Job, or none.
     */
    static Launch afterFailedCreate(ModelJob modelJob, KubernetesClient client, KubernetesClientException error) {
        Job existing;
        try {
            existing = client.batch().v1().jobs().inNamespace(modelJob.getMetadata().getNamespace())
                    .withName(modelJob.getMetadata().getName()).get();
        } catch (KubernetesClientException e) {
            existing = null;
        }
        if (existing != null && Owners.ownedBy(existing, modelJob)) {
            return new Launch.Launched();
        }
        if (existing != null) {
            return nameTaken(modelJob, existing);
        }
        LOG.warnf("ModelJob %s/%s: Job not created: %s", modelJob.getMetadata().getNamespace(),
                modelJob.getMetadata().getName(), ApiErrors.message(error));
        return new Launch.Held(StartReason.JobNotCreated, ModelJobReason.JobNotCreated,
                "the API server did not create Job " + modelJob.getMetadata().getName() + " (HTTP " + error.getCode()
                        + "): " + ApiErrors.message(error) + "; trying again");
    }

    private static Launch nameTaken(ModelJob modelJob, Job foreign) {
        String name = foreign.getMetadata().getName();
        boolean predecessor = BatchJobs.controllingModelJob(foreign)
                .filter(owner -> owner.getName().equals(modelJob.getMetadata().getName())).isPresent();
        return new Launch.Held(StartReason.JobNameTaken, ModelJobReason.JobNameTaken, predecessor
                ? "Job " + name + " belongs to an earlier ModelJob of the same name; waiting for Kubernetes to delete it"
                : "a Job named " + name + " exists and does not belong to this ModelJob; delete it (kubectl delete job "
                        + name + ") and this ModelJob starts");
    }

    /**
     * The ModelJob's Job when the cache misses it because someone removed the labels the operator finds its Jobs by
     * ({@code modelops.dev/job-type}): the labels of its pod template are written back on it, so that it is followed
     * again rather than taken for lost. False when there is no such Job (deleted, or another object's).
     */
    boolean relabel(ModelJob modelJob, KubernetesClient client) {
        String name = modelJob.getStatus().getJobName();
        try {
            Job live = client.batch().v1().jobs().inNamespace(modelJob.getMetadata().getNamespace()).withName(name)
                    .get();
            if (live == null || !(Owners.ownedBy(live, modelJob) || JobLifecycle.adopts(modelJob, live))) {
                return false;
            }
            Map<String, String> labels = new LinkedHashMap<>(Optional.ofNullable(live.getSpec().getTemplate()
                    .getMetadata().getLabels()).orElse(Map.of()));
            labels.keySet().retainAll(OPERATOR_LABELS);
            if (labels.isEmpty()) {
                return false;
            }
            LOG.warnf("Job %s/%s lost its labels; writing them back", live.getMetadata().getNamespace(), name);
            client.batch().v1().jobs().inNamespace(live.getMetadata().getNamespace()).withName(name)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), client.getKubernetesSerialization()
                            .asJson(Map.of("metadata", Map.of("labels", labels))));
            return true;
        } catch (KubernetesClientException e) {
            LOG.warnf("Job %s/%s not read or relabelled: %s", modelJob.getMetadata().getNamespace(), name,
                    ApiErrors.message(e));
            return false;
        }
    }

    /** Kubernetes stops the pods with their grace period and keeps the Job as the record. False if it failed. */
    boolean suspend(Job job, KubernetesClient client) {
        try {
            client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":true}}");
            return true;
        } catch (KubernetesClientException e) {
            LOG.warnf("Job %s/%s not suspended, trying again: %s", job.getMetadata().getNamespace(),
                    job.getMetadata().getName(), ApiErrors.message(e));
            return false;
        }
    }

    /** Why the Job creates no pod, from the Job controller's latest FailedCreate Event about it, if any. */
    Optional<String> podCreationProblem(Job job, KubernetesClient client) {
        try {
            return client.v1().events().inNamespace(job.getMetadata().getNamespace())
                    .withField("involvedObject.name", job.getMetadata().getName()).list().getItems().stream()
                    .filter(event -> "Job".equals(event.getInvolvedObject().getKind())
                            && job.getMetadata().getUid().equals(event.getInvolvedObject().getUid())
                            && "FailedCreate".equals(event.getReason()))
                    .max(Comparator.comparing(JobLauncher::lastSeen)).map(Event::getMessage);
        } catch (KubernetesClientException e) {
            return Optional.empty();
        }
    }

    private static String lastSeen(Event event) {
        return Optional.ofNullable(event.getLastTimestamp()).or(() -> Optional.ofNullable(event.getEventTime())
                .map(time -> time.getTime())).orElse("");
    }
}
