package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelJobStatus;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.common.EventRecorder;
import dev.modelops.common.InformerLists;
import dev.modelops.common.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs a ModelJob: launches its batch/v1 Job when it is due, stops it when asked, keeps its logs when it ends, and
 * reports it all in status, the timeline and Events. A ModelJob that has ended is never touched again.
 */
@ControllerConfiguration(name = "modeljob", informer = @Informer(informerListLimit = InformerLists.PAGE,
        itemStore = PrunedCaches.ModelJobStore.class))
@Workflow(explicitInvocation = true, handleExceptionsInReconciler = true,
        dependents = @Dependent(type = BatchJobDependent.class))
public class ModelJobReconciler implements Reconciler<ModelJob> {

    static final String COMPONENT = "modelops-operator";
    private static final String BY_MODEL_VERSION = "byModelVersion";
    private static final Duration POD_LAG_LIMIT = Duration.ofSeconds(10);
    private static final Duration POD_LAG_CHECK = Duration.ofSeconds(1);
    private static final Duration ENDED_RESYNC = Duration.ofHours(MaxReconciliationInterval.DEFAULT_INTERVAL);

    private final BatchJobFactory jobs;
    private final ModelJobStatusAggregator aggregator = new ModelJobStatusAggregator();
    private final int logTailBytes;
    private final Clock clock;

    @Inject
    public ModelJobReconciler(JobSettings settings, Clock clock) {
        this.jobs = new BatchJobFactory(settings);
        this.logTailBytes = (int) settings.logTail().asLongValue();
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, ModelJob>> prepareEventSources(EventSourceContext<ModelJob> context) {
        // Only ModelJobs still going: a change of a ModelVersion with thousands of ended ones reconciles none of them.
        context.getPrimaryCache().addIndexer(BY_MODEL_VERSION, job -> ModelJobStatusAggregator.ended(job) ? List.of()
                : List.of(key(job.getMetadata().getNamespace(), job.getSpec().getModelVersion())));
        var versions = new InformerEventSource<>(InformerEventSourceConfiguration.from(ModelVersion.class, ModelJob.class)
                .withSecondaryToPrimaryMapper(version -> context.getPrimaryCache()
                        .byIndex(BY_MODEL_VERSION, key(version.getMetadata().getNamespace(), version.getMetadata().getName()))
                        .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper((ModelJob job) -> Set.of(
                        new ResourceID(job.getSpec().getModelVersion(), job.getMetadata().getNamespace())))
                .withInformerListLimit(InformerLists.PAGE)
                .build(), context);
        var pods = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, ModelJob.class)
                .withLabelSelector(Labels.MODEL_JOB)
                .withItemStore(new PrunedCaches.PodStore())
                .withInformerListLimit(InformerLists.PAGE)
                .withSecondaryToPrimaryMapper(new ModelJobLabelMapper<>())
                .build(), context);
        return List.of(versions, pods);
    }

    @Override
    public UpdateControl<ModelJob> reconcile(ModelJob modelJob, Context<ModelJob> context) {
        if (ModelJobStatusAggregator.ended(modelJob)) {
            return resyncRarely();
        }
        Instant now = clock.instant();
        Optional<ModelVersion> version = context.getSecondaryResource(ModelVersion.class);
        Optional<Observation.Refusal> refusal = launchIfDue(modelJob, version, context);
        Optional<Job> job = context.getSecondaryResource(Job.class);
        List<Pod> pods = List.copyOf(context.getSecondaryResources(Pod.class));

        if (job.isPresent() && podsLagBehind(job.get(), pods, now)) {
            return UpdateControl.<ModelJob>noUpdate().rescheduleAfter(POD_LAG_CHECK);
        }
        Optional<KeptLogs> kept = Optional.empty();
        boolean stopping = Boolean.TRUE.equals(modelJob.getSpec().getStop());
        if (job.isPresent() && (BatchJobs.finished(job.get()) || stopping)) {
            kept = Optional.of(new LogArchive(context.getClient(), logTailBytes).keep(modelJob, pods));
            if (!BatchJobs.finished(job.get()) && !BatchJobs.suspended(job.get())) {
                suspend(job.get(), context.getClient());
            }
        }
        var update = aggregator.next(new Observation(modelJob, version, job, pods, refusal, kept, now));
        if (update.changed()) {
            ModelJob written = writeStatus(modelJob, update.status(), context);
            EventRecorder events = new EventRecorder(context.getClient(), COMPONENT);
            update.newEntries().forEach(entry -> events.record(written, ModelJobReason.valueOf(entry.getReason()),
                    entry.getMessage(), now));
        }
        return ModelJobStatusAggregator.final_(update.status().getPhase()) ? resyncRarely() : UpdateControl.noUpdate();
    }

    /**
     * JOSDK reconciles every resource again after its maximum reconciliation interval, a failsafe for missed
     * events, unless the reconcile names its own delay. An ended ModelJob has nothing left that a missed event could
     * change, so it waits JOSDK's default interval, however short the configured one: at 10,000 ended ModelJobs each
     * failsafe round was 10,000 reconciles at once, and new ModelJobs waited behind them. (Not longer: JOSDK's timer
     * keeps a cancelled schedule, such as a deleted ModelJob's, until it falls due.)
     */
    private static UpdateControl<ModelJob> resyncRarely() {
        return UpdateControl.<ModelJob>noUpdate().rescheduleAfter(ENDED_RESYNC);
    }

    /**
     * Whether the Job has ended a pod that the cache does not show ended yet. Jobs and pods come on two watches, and
     * the Job's end can arrive first; ending the ModelJob then would lose the pod's result and log. A pod that never
     * shows up (deleted meanwhile) is waited for only so long.
     */
    private static boolean podsLagBehind(Job job, List<Pod> pods, Instant now) {
        return BatchJobs.finished(job) && BatchJobs.endedPods(job) > 0
                && pods.stream().noneMatch(pod -> Pods.terminated(pod).isPresent())
                && BatchJobs.finishedAt(job).map(at -> now.isBefore(at.plus(POD_LAG_LIMIT))).orElse(false);
    }

    /**
     * A JSON merge patch of status, sent only if the ModelJob is still the one the status was computed from
     * (resourceVersion), and cached so that the next reconcile starts from it: a status computed from a stale
     * ModelJob would repeat timeline entries. On a conflict the reconcile runs again from the newer ModelJob.
     */
    private static ModelJob writeStatus(ModelJob modelJob, ModelJobStatus status, Context<ModelJob> context) {
        return PrimaryUpdateAndCacheUtils.updateAndCacheResource(modelJob, context, current -> {
            current.setStatus(status);
            return current;
        }, current -> context.getClient().resource(current).patchStatus(), 0,
                PrimaryUpdateAndCacheUtils.DEFAULT_RESOURCE_CACHE_TIMEOUT_MILLIS,
                PrimaryUpdateAndCacheUtils.DEFAULT_RESOURCE_CACHE_POLL_PERIOD_MILLIS);
    }

    /** Creates the Job of a compute ModelJob that has none yet and may run; or says why it cannot. */
    private Optional<Observation.Refusal> launchIfDue(ModelJob modelJob, Optional<ModelVersion> version,
            Context<ModelJob> context) {
        boolean due = modelJob.getSpec().getType().kind() == JobType.Kind.COMPUTE
                && !Boolean.TRUE.equals(modelJob.getSpec().getStop())
                && version.isPresent()
                && (modelJob.getStatus() == null || modelJob.getStatus().getJobName() == null)
                && context.getSecondaryResource(Job.class).isEmpty();
        if (!due) {
            return Optional.empty();
        }
        if (jobs.image(modelJob, version.get()).isEmpty()) {
            return Optional.of(new Observation.Refusal(FailureReason.NoImage, "no image for the "
                    + modelJob.getSpec().getType() + " step: set spec.template.image, the image of the ModelVersion's "
                    + "step, or the operator's setting modelops.jobs.runner-image"));
        }
        var workflow = context.managedWorkflowAndDependentResourceContext();
        workflow.put(Job.class, jobs.build(modelJob, version.get()));
        Collection<Exception> errors;
        try {
            errors = workflow.reconcileManagedWorkflow().getErroredDependents().values();
        } catch (AggregatedOperatorException e) { // QOSDK does not pass on handleExceptionsInReconciler
            errors = e.getAggregatedExceptions().values();
        }
        for (Exception error : errors) {
            if (error instanceof KubernetesClientException conflict && conflict.getCode() == 409) {
                return nameTaken(modelJob, context);
            }
            if (error instanceof KubernetesClientException refused && refused(refused.getCode())) {
                String message = refused.getStatus() != null && refused.getStatus().getMessage() != null
                        ? refused.getStatus().getMessage() : refused.getMessage();
                return Optional.of(new Observation.Refusal(FailureReason.JobRejected,
                        "the API server refused the Job: " + message));
            }
            throw error instanceof RuntimeException runtime ? runtime : new IllegalStateException(error);
        }
        return Optional.empty();
    }

    /**
     * A Job of that name exists: this ModelJob's own, not yet in the cache (it will be next time), or someone
     * else's, which the operator never takes over.
     */
    private static Optional<Observation.Refusal> nameTaken(ModelJob modelJob, Context<ModelJob> context) {
        Job existing = context.getClient().batch().v1().jobs().inNamespace(modelJob.getMetadata().getNamespace())
                .withName(modelJob.getMetadata().getName()).get();
        boolean ours = existing != null && existing.getMetadata().getOwnerReferences().stream()
                .anyMatch(owner -> owner.getUid().equals(modelJob.getMetadata().getUid()));
        return ours ? Optional.empty() : Optional.of(new Observation.Refusal(FailureReason.JobRejected,
                "a Job named " + modelJob.getMetadata().getName() + " already exists and does not belong to this"
                        + " ModelJob; delete it or create the ModelJob under another name"));
    }

    /** The API server says the Job itself is wrong; trying again would not help. */
    private static boolean refused(int code) {
        return code == 400 || code == 422;
    }

    /** Kubernetes terminates the pods with their grace period and keeps the Job as the record. */
    private static void suspend(Job job, KubernetesClient client) {
        client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":true}}");
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
