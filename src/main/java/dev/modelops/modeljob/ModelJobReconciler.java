package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelJobStatus;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.cache.PrunedCaches;
import dev.modelops.common.ApiErrors;
import dev.modelops.common.EventRecorder;
import dev.modelops.common.InformerLists;
import dev.modelops.common.Labels;
import dev.modelops.common.StatusPatch;
import dev.modelops.lifecycle.JobLifecycle;
import dev.modelops.metrics.JobDurations;
import dev.modelops.workload.JobSettings;
import dev.modelops.workload.PodTemplates;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs a ModelJob: launches its batch/v1 Job when it is due, stops it when asked, keeps its logs when it ends, and
 * reports it all in status, the timeline and Events. A ModelJob that has ended is only ever told its new generation.
 */
@ControllerConfiguration(name = "modeljob", informer = @Informer(informerListLimit = InformerLists.PAGE,
        itemStore = PrunedCaches.ModelJobStore.class, onAddFilter = EndedAndAcknowledged.class))
@Workflow(explicitInvocation = true, handleExceptionsInReconciler = true,
        dependents = @Dependent(type = BatchJobDependent.class, reconcilePrecondition = LaunchRecorded.class))
public class ModelJobReconciler implements Reconciler<ModelJob> {

    static final String COMPONENT = "modelops-operator";
    private static final Logger LOG = Logger.getLogger(ModelJobReconciler.class);
    private static final String BY_MODEL_VERSION = "byModelVersion";
    private static final Duration POD_LAG_CHECK = Duration.ofSeconds(1);
    private static final Duration RETRY = Duration.ofSeconds(15);
    private static final Duration LOG_RETRY_LIMIT = Duration.ofMinutes(1);
    private static final Duration ENDED_RESYNC = Duration.ofHours(MaxReconciliationInterval.DEFAULT_INTERVAL);

    private final ModelJobStatusAggregator aggregator = new ModelJobStatusAggregator();
    private final JobLauncher launcher;
    private final JobSettings settings;
    private final Clock clock;
    /** When this operator started: a log it could not keep is tried for a minute after the later of this and the end. */
    private final Instant started;

    @Inject
    public ModelJobReconciler(JobSettings settings, Clock clock) {
        this.launcher = new JobLauncher(new PodTemplates(settings));
        this.settings = settings;
        this.clock = clock;
        this.started = clock.instant();
    }

    @Override
    public List<EventSource<?, ModelJob>> prepareEventSources(EventSourceContext<ModelJob> context) {
        // Only ModelJobs still going: a change of a ModelVersion with thousands of ended ones reconciles none of them.
        context.getPrimaryCache().addIndexer(BY_MODEL_VERSION, job -> JobLifecycle.ended(job) ? List.of()
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
                .withLabelSelector(Labels.JOB_TYPE)
                .withItemStore(new PrunedCaches.PodStore())
                .withInformerListLimit(InformerLists.PAGE)
                .withSecondaryToPrimaryMapper(new ModelJobLabelMapper<>())
                .build(), context);
        return List.of(versions, pods);
    }

    @Override
    public UpdateControl<ModelJob> reconcile(ModelJob modelJob, Context<ModelJob> context) {
        if (JobLifecycle.ended(modelJob)) {
            acknowledgeGeneration(modelJob, context);
            return resyncRarely();
        }
        Instant now = clock.instant();
        Optional<ModelVersion> version = RequestedVersion.of(modelJob,
                context.getSecondaryResource(ModelVersion.class), () -> context.getClient()
                        .resources(ModelVersion.class).inNamespace(modelJob.getMetadata().getNamespace())
                        .withName(modelJob.getSpec().getModelVersion()).get());
        Children children = Children.of(modelJob, context.getSecondaryResource(Job.class),
                context.getSecondaryResources(Pod.class));
        ModelJob current = modelJob;
        Launch launch = Launch.none();
        if (JobLifecycle.launchDue(modelJob, version.isPresent()) && children.job().isEmpty()) {
            launch = launcher.check(modelJob, version.get(), children);
            if (launch instanceof Launch.Intended) {
                // The status names the Job before it is created: a Job is never created twice, even if the operator
                // stops right after creating it and someone deletes the Job before it is back (see resume below).
                current = record(observe(modelJob, version, children, launch, Optional.empty(), Optional.empty(), now),
                        context, now);
                launch = launcher.launch(current, context);
                if (launch instanceof Launch.Launched) {
                    return UpdateControl.noUpdate(); // the Job's event brings the next reconcile
                }
            }
        } else if (children.job().isEmpty() && JobLifecycle.launchRecorded(modelJob)
                && !JobLauncher.jobSeen(modelJob)) {
            // The operator stopped between naming the Job and seeing it: the API server tells what became of it.
            launch = launcher.resume(modelJob, context);
            if (launch instanceof Launch.Launched) {
                return UpdateControl.<ModelJob>noUpdate().rescheduleAfter(POD_LAG_CHECK);
            }
        }
        Optional<Job> job = children.job();
        if (job.isEmpty() && children.foreignJob().isEmpty() && launch instanceof Launch.None
                && JobLifecycle.compute(current) && current.getStatus() != null
                && current.getStatus().getJobName() != null && launcher.relabel(current, context.getClient())) {
            return UpdateControl.<ModelJob>noUpdate().rescheduleAfter(POD_LAG_CHECK); // the Job's event comes back
        }
        if (children.lagBehind(now)) {
            return UpdateControl.<ModelJob>noUpdate().rescheduleAfter(POD_LAG_CHECK);
        }
        boolean stopping = job.isPresent() && JobLifecycle.stopRequested(current) && !BatchJobs.finished(job.get());
        if (stopping && BatchJobs.suspended(job.get()) && !BatchJobs.stopped(job.get())) {
            // Cancelled once Kubernetes has stopped the Job: its pods have their grace period, and then it is so. The
            // logs so far were kept when the Job was suspended.
            return UpdateControl.<ModelJob>noUpdate().rescheduleAfter(POD_LAG_CHECK.multipliedBy(5));
        }
        Optional<KeptLogs> kept = Optional.empty();
        if (job.isPresent() && (BatchJobs.finishing(job.get()) || JobLifecycle.stopRequested(current))) {
            kept = Optional.of(new LogArchive(context.getClient(), logTailBytes()).keep(current, children.pods()));
            if (stopping && !BatchJobs.suspended(job.get())) {
                return launcher.suspend(job.get(), context.getClient())
                        ? UpdateControl.<ModelJob>noUpdate().rescheduleAfter(POD_LAG_CHECK.multipliedBy(5))
                        : UpdateControl.<ModelJob>noUpdate().rescheduleAfter(RETRY);
            }
            // An operator that starts long after the Job ended (it was down) gets its own minute.
            if (kept.get().worthRetrying() && !BatchJobs.finishedAt(job.get())
                    .map(at -> now.isAfter(max(at, started).plus(LOG_RETRY_LIMIT))).orElse(false)) {
                return UpdateControl.<ModelJob>noUpdate().rescheduleAfter(POD_LAG_CHECK.multipliedBy(5));
            }
        }
        Optional<String> podProblem = job.isPresent() && ModelJobStatusAggregator.podCreationStalled(job.get(), children,
                now, settings.podCreationTimeout())
                ? launcher.podCreationProblem(job.get(), context.getClient()) : Optional.empty();
        Observation seen = observe(current, version, children, launch, kept, podProblem, now);
        ModelJob recorded = record(seen, context, now);
        return next(recorded, seen, now);
    }

    /** When to look again at a job that has not ended: something it waits for is not announced by an event. */
    private UpdateControl<ModelJob> next(ModelJob recorded, Observation seen, Instant now) {
        if (JobLifecycle.ended(recorded)) {
            return resyncRarely();
        }
        if (seen.launch() instanceof Launch.Held) {
            return UpdateControl.<ModelJob>noUpdate().rescheduleAfter(RETRY);
        }
        Optional<Job> job = seen.children().job();
        if (job.isPresent() && seen.children().pods().isEmpty() && !BatchJobs.finishing(job.get())) {
            Instant due = BatchJobs.createdAt(job.get()).plus(settings.podCreationTimeout());
            return UpdateControl.<ModelJob>noUpdate().rescheduleAfter(
                    now.isBefore(due) ? Duration.between(now, due).plusSeconds(1) : RETRY);
        }
        return UpdateControl.noUpdate();
    }

    private Observation observe(ModelJob modelJob, Optional<ModelVersion> version, Children children, Launch launch,
            Optional<KeptLogs> kept, Optional<String> podProblem, Instant now) {
        return new Observation(modelJob, version, children, launch, kept, podProblem, now,
                settings.podCreationTimeout());
    }

    /** Writes the status computed from what was seen, if it says something new, and records its new Events. */
    private ModelJob record(Observation seen, Context<ModelJob> context, Instant now) {
        var update = aggregator.next(seen);
        if (!update.changed()) {
            return seen.modelJob();
        }
        boolean endedBefore = JobLifecycle.ended(seen.modelJob()); // the write sets the new status on it
        ModelJob written = StatusPatch.writeAndCache(seen.modelJob(), update.status(), context);
        if (!endedBefore && JobLifecycle.ended(written)) {
            JobDurations.ended(written);
        }
        EventRecorder events = new EventRecorder(context.getClient(), COMPONENT);
        update.newEntries().forEach(added -> events.record(written, added.reason(), added.entry().getMessage(), now));
        return written;
    }

    /**
     * An ended ModelJob whose spec was changed afterwards (a stop patched onto a Succeeded job) says that it has seen
     * the change, and nothing else changes: tools such as Argo CD and kstatus wait for observedGeneration.
     */
    private static void acknowledgeGeneration(ModelJob modelJob, Context<ModelJob> context) {
        Long generation = modelJob.getMetadata().getGeneration();
        if (generation == null || generation.equals(modelJob.getStatus().getObservedGeneration())) {
            return;
        }
        ModelJob acknowledged = new ModelJob();
        acknowledged.getMetadata().setName(modelJob.getMetadata().getName());
        acknowledged.getMetadata().setNamespace(modelJob.getMetadata().getNamespace());
        acknowledged.setStatus(new ModelJobStatus());
        acknowledged.getStatus().setObservedGeneration(generation);
        try {
            context.getClient().resource(acknowledged).patchStatus();
        } catch (KubernetesClientException e) {
            LOG.warnf("ModelJob %s/%s: generation %d not acknowledged: HTTP %d: %s",
                    modelJob.getMetadata().getNamespace(), modelJob.getMetadata().getName(), generation, e.getCode(),
                    ApiErrors.message(e));
            throw e;
        }
    }

    /**
     * JOSDK reconciles every resource again after its maximum reconciliation interval, a failsafe for missed
     * events, unless the reconcile names its own delay. An ended ModelJob has nothing left that a missed event could
     * change, so it waits JOSDK's default interval, however short the configured one (see the README's Benchmark
     * section for what this saves).
     */
    private static UpdateControl<ModelJob> resyncRarely() {
        return UpdateControl.<ModelJob>noUpdate().rescheduleAfter(ENDED_RESYNC);
    }

    private static Instant max(Instant one, Instant other) {
        return one.isAfter(other) ? one : other;
    }

    private int logTailBytes() {
        return (int) settings.logTail().asLongValue();
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
