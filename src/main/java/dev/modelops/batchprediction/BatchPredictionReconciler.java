package dev.modelops.batchprediction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelops.api.v1alpha1.BatchPrediction;
import dev.modelops.api.v1alpha1.BatchPredictionStatus;
import dev.modelops.api.v1alpha1.ConditionStatus;
import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.Stage;
import dev.modelops.common.Conditions;
import dev.modelops.common.EventRecorder;
import dev.modelops.common.InformerLists;
import dev.modelops.common.Labels;
import dev.modelops.common.Owners;
import dev.modelops.common.StatusPatch;
import dev.modelops.lifecycle.ChampionRecord;
import dev.modelops.lifecycle.Schedule;
import dev.modelops.workload.JobSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs a BatchPrediction: one CronJob that follows the version it scores with (the model's champion, or the pinned
 * version), a ModelJob for every run the CronJob or a person starts (so every run has a status, timeline, logs and
 * stop), run now on each new value of the {@code modelops.dev/run-now} annotation, the runs' history and the
 * scheduled times that were missed. The only writer of BatchPrediction status. Not generation-aware: run now is an
 * annotation, which does not change the generation.
 */
@ControllerConfiguration(name = "batchprediction", generationAwareEventProcessing = false,
        informer = @Informer(informerListLimit = InformerLists.PAGE))
public class BatchPredictionReconciler implements Reconciler<BatchPrediction> {

    static final String COMPONENT = "modelops-operator";

    private static final String BY_MODEL = "byModel";
    private static final String BY_VERSION = "byModelVersion";
    private static final String CRON_JOBS = "cronjobs";
    private static final String JOBS = "jobs";
    private static final String RUNS = "runs";
    private static final String VERSIONS = "versions";
    private static final String RECORDS = "championrecords";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How often a BatchPrediction whose CronJob name another object holds looks whether it is free. */
    private static final Duration NAME_TAKEN_RECHECK = Duration.ofSeconds(15);

    private final CronJobs cronJobs;
    private final Clock clock;

    @Inject
    public BatchPredictionReconciler(JobSettings settings, Clock clock) {
        this.cronJobs = new CronJobs(settings);
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, BatchPrediction>> prepareEventSources(EventSourceContext<BatchPrediction> context) {
        var cache = context.getPrimaryCache();
        cache.addIndexer(BY_MODEL, bp -> bp.getSpec().getModel() == null ? List.of()
                : List.of(key(bp.getMetadata().getNamespace(), bp.getSpec().getModel())));
        cache.addIndexer(BY_VERSION, bp -> bp.getSpec().getModelVersion() == null ? List.of()
                : List.of(key(bp.getMetadata().getNamespace(), bp.getSpec().getModelVersion())));
        var byLabel = (SecondaryToPrimaryMapper<HasMetadata>)
                object -> Optional.ofNullable(object.getMetadata().getLabels()).map(l -> l.get(Labels.BATCH_PREDICTION))
                        .map(name -> Set.of(new ResourceID(name, object.getMetadata().getNamespace())))
                        .orElse(Set.of());
        var cronJobSource = new InformerEventSource<>(InformerEventSourceConfiguration.from(CronJob.class, BatchPrediction.class)
                .withName(CRON_JOBS).withLabelSelector(Labels.BATCH_PREDICTION)
                .withInformerListLimit(InformerLists.PAGE).build(), context);
        var jobSource = new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, BatchPrediction.class)
                .withName(JOBS).withLabelSelector(Labels.BATCH_PREDICTION)
                .withSecondaryToPrimaryMapper(byLabel::toPrimaryResourceIDs)
                .withInformerListLimit(InformerLists.PAGE).build(), context);
        var runSource = new InformerEventSource<>(InformerEventSourceConfiguration.from(ModelJob.class, BatchPrediction.class)
                .withName(RUNS).withLabelSelector(Labels.BATCH_PREDICTION)
                .withSecondaryToPrimaryMapper(byLabel::toPrimaryResourceIDs)
                .withInformerListLimit(InformerLists.PAGE).build(), context);
        var versionSource = new InformerEventSource<>(InformerEventSourceConfiguration.from(ModelVersion.class, BatchPrediction.class)
                .withName(VERSIONS)
                .withSecondaryToPrimaryMapper(version -> Stream.concat(
                        cache.byIndex(BY_MODEL, key(version.getMetadata().getNamespace(), version.getSpec().getModel())).stream(),
                        cache.byIndex(BY_VERSION, key(version.getMetadata().getNamespace(), version.getMetadata().getName())).stream())
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withInformerListLimit(InformerLists.PAGE).build(), context);
        var recordSource = new InformerEventSource<>(InformerEventSourceConfiguration.from(ConfigMap.class, BatchPrediction.class)
                .withName(RECORDS).withLabelSelector(Labels.CHAMPION_OF)
                .withSecondaryToPrimaryMapper(record -> cache.byIndex(BY_MODEL, key(record.getMetadata().getNamespace(),
                        record.getMetadata().getLabels().get(Labels.CHAMPION_OF))).stream()
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withInformerListLimit(InformerLists.PAGE).build(), context);
        return List.of(cronJobSource, jobSource, runSource, versionSource, recordSource);
    }

    @Override
    public UpdateControl<BatchPrediction> reconcile(BatchPrediction prediction, Context<BatchPrediction> context) {
        Instant now = clock.instant();
        KubernetesClient client = context.getClient();
        EventRecorder events = new EventRecorder(client, COMPONENT);
        String namespace = prediction.getMetadata().getNamespace();
        BatchPredictionStatus old = prediction.getStatus();
        BatchPredictionStatus status = Optional.ofNullable(old).map(BatchPredictionReconciler::copy)
                .orElseGet(BatchPredictionStatus::new);
        Long generation = prediction.getMetadata().getGeneration();

        Optional<Schedule> schedule;
        String scheduleProblem = null;
        try {
            schedule = Optional.of(Schedule.of(prediction.getSpec().getSchedule(), prediction.getSpec().getTimeZone()));
        } catch (IllegalArgumentException e) {
            schedule = Optional.empty();
            scheduleProblem = e.getMessage();
        }
        Scoring scoring = scoring(prediction, context);
        Optional<CronJob> cronJob = source(context, CronJob.class, CRON_JOBS)
                .get(new ResourceID(CronJobs.name(prediction), namespace))
                .filter(existing -> Owners.ownedBy(existing, prediction));
        String templateProblem = scoring.version().flatMap(v -> cronJobs.refusal(prediction, v))
                .map(refusal -> refusal.message()).orElse(null);
        boolean suspendedBySpec = Boolean.TRUE.equals(prediction.getSpec().getSuspend());
        String cronJobProblem = null;

        // The CronJob: created for the version it scores with, suspended while there is none.
        if (schedule.isPresent() && templateProblem == null) {
            if (scoring.version().isPresent()) {
                CronJob desired = cronJobs.build(prediction, scoring.version().get(), suspendedBySpec);
                CronJobs.Applied applied = CronJobs.apply(client, prediction, desired, cronJob);
                if (applied.restored()) {
                    events.record(prediction, PredictionReason.CronJobRestored, "CronJob " + CronJobs.name(prediction)
                            + " was changed by someone else; it is the BatchPrediction's again (change the"
                            + " BatchPrediction instead)", now);
                }
                cronJob = applied.cronJob();
                cronJobProblem = applied.nameTaken().orElse(null);
                if (applied.written()) {
                    cronJobs.notRestricted(prediction, scoring.version().get()).ifPresent(why -> events.record(
                            prediction, PredictionReason.PodSecurityRelaxed, why, now));
                }
            } else if (cronJob.isPresent() && !Boolean.TRUE.equals(cronJob.get().getSpec().getSuspend())) {
                cronJob = Optional.of(client.batch().v1().cronjobs().inNamespace(namespace)
                        .withName(cronJob.get().getMetadata().getName())
                        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":true}}"));
            }
        }
        status.setCronJobName(cronJob.map(c -> c.getMetadata().getName()).orElse(null));
        String scoringNow = cronJob.map(c -> c.getMetadata().getLabels()).map(labels -> labels.get(Labels.MODEL_VERSION))
                .orElse(null);
        if (scoring.version().isPresent() && !Objects.equals(status.getModelVersion(), scoring.version().get().getMetadata().getName())
                && status.getModelVersion() != null) {
            events.record(prediction, PredictionReason.VersionChanged, "Scores with ModelVersion "
                    + scoring.version().get().getMetadata().getName() + " instead of " + status.getModelVersion(), now);
        }
        status.setModelVersion(scoring.version().map(v -> v.getMetadata().getName()).orElse(scoringNow));

        // Every run is a ModelJob: adopt the Jobs of the CronJob that have none.
        List<ModelJob> runs = new ArrayList<>(source(context, ModelJob.class, RUNS).list(namespace)
                .filter(run -> Owners.ownedBy(run, prediction)).toList());
        Set<String> runNames = runs.stream().map(run -> run.getMetadata().getName()).collect(Collectors.toSet());
        if (cronJob.isPresent()) {
            CronJob owner = cronJob.get();
            source(context, Job.class, JOBS).list(namespace).filter(job -> Owners.ownedBy(job, owner))
                    .filter(job -> !runNames.contains(job.getMetadata().getName()))
                    .forEach(job -> Runs.adopt(client, prediction, job).ifPresent(run -> {
                        runs.add(run);
                        runNames.add(run.getMetadata().getName());
                        events.record(prediction, PredictionReason.RunAdopted, "Run " + job.getMetadata().getName()
                                + " is ModelJob " + run.getMetadata().getName(), now);
                    }));
        }

        // Run now: one run per new value of the annotation.
        String runNow = Optional.ofNullable(prediction.getMetadata().getAnnotations()).map(a -> a.get(RunNow.ANNOTATION))
                .filter(value -> !value.isBlank()).orElse(null);
        Optional<String> runNowRefused = Optional.empty();
        if (runNow != null && !runNow.equals(status.getLastRunNow())) {
            runNowRefused = RunNow.start(client, events, prediction, cronJob, runs, runNow, status, now);
        } else if (old != null && old.getMessage() != null && old.getMessage().contains(RunNow.REFUSED)) {
            runNowRefused = Optional.of(old.getMessage().substring(old.getMessage().indexOf(RunNow.REFUSED)));
        }

        Runs.prune(client, events, prediction, runs, now);
        runs.sort(Comparator.comparing((ModelJob run) -> run.getMetadata().getCreationTimestamp()).reversed()
                .thenComparing(run -> run.getMetadata().getName()));
        status.setRuns(runs.stream().map(Runs::record).toList());
        runs.stream().findFirst().ifPresent(newest -> status.setLastScheduleTime(newest.getMetadata().getCreationTimestamp()));
        runs.stream().filter(run -> run.getStatus() != null && run.getStatus().getPhase() == JobPhase.Succeeded)
                .map(run -> run.getStatus().getCompletionTime()).filter(Objects::nonNull).max(String::compareTo)
                .ifPresent(status::setLastSuccessfulTime);

        boolean active = cronJob.isPresent() && !Boolean.TRUE.equals(cronJob.get().getSpec().getSuspend());
        status.setNextScheduleTime(active ? schedule.flatMap(s -> s.nextAfter(now)).map(Conditions::timestamp).orElse(null)
                : null);
        if (schedule.isPresent() && active) {
            MissedSchedules.check(events, prediction, schedule.get(), runNames, status, now);
        }

        // Conditions: Ready says whether it runs as asked, Suspended whether its CronJob is held.
        String why;
        PredictionReason reason;
        if (scheduleProblem != null) {
            reason = PredictionReason.InvalidSchedule;
            why = scheduleProblem;
        } else if (scoring.problem().isPresent()) {
            reason = PredictionReason.NoDeployedVersion;
            why = scoring.problem().get();
        } else if (templateProblem != null) {
            reason = PredictionReason.InvalidTemplate;
            why = templateProblem;
        } else if (cronJobProblem != null) {
            reason = PredictionReason.CronJobNameTaken;
            why = cronJobProblem;
        } else {
            reason = PredictionReason.Scheduled;
            why = "Scores with ModelVersion " + status.getModelVersion() + " on schedule " + prediction.getSpec().getSchedule()
                    + (suspendedBySpec ? " (suspended by spec.suspend)" : "");
        }
        boolean ready = reason == PredictionReason.Scheduled;
        var conditions = Conditions.set(status.getConditions(), PredictionCondition.Ready,
                ready ? ConditionStatus.True : ConditionStatus.False, reason, why, generation, now);
        boolean suspended = !ready || suspendedBySpec;
        conditions = Conditions.set(conditions, PredictionCondition.Suspended,
                suspended ? ConditionStatus.True : ConditionStatus.False,
                suspendedBySpec ? PredictionReason.SuspendedBySpec : ready ? PredictionReason.NotSuspended : reason,
                suspended ? why : null, generation, now);
        status.setConditions(conditions);
        status.setMessage(why + runNowRefused.map(refused -> "; " + refused).orElse(""));
        status.setObservedGeneration(generation);
        boolean wasReady = old != null && Conditions.isTrue(old.getConditions(), PredictionCondition.Ready.name());
        String oldWhy = old == null ? null : old.getMessage();
        if (!ready && (wasReady || old == null || !Objects.equals(oldWhy, why))) {
            events.record(prediction, reason, why, now);
        }
        if (old == null || !json(old).equals(json(status))) {
            StatusPatch.writeAndCache(prediction, status, context);
        }
        if (cronJobProblem != null) { // no event says when the name is free: the other CronJob is not watched
            return UpdateControl.<BatchPrediction>noUpdate().rescheduleAfter(NAME_TAKEN_RECHECK);
        }
        return next(schedule, active, prediction, now);
    }

    /** Look again when a scheduled time's run should have started, to tell whether it was missed. */
    private static UpdateControl<BatchPrediction> next(Optional<Schedule> schedule, boolean active,
            BatchPrediction prediction, Instant now) {
        if (schedule.isEmpty() || !active) {
            return UpdateControl.noUpdate();
        }
        return schedule.get().nextAfter(now).map(at -> Duration.between(now, at.plus(MissedSchedules.grace(prediction))))
                .map(delay -> UpdateControl.<BatchPrediction>noUpdate().rescheduleAfter(delay))
                .orElseGet(UpdateControl::noUpdate);
    }

    /** The version the BatchPrediction scores with, or why there is none. */
    private record Scoring(Optional<ModelVersion> version, Optional<String> problem) {
    }

    private Scoring scoring(BatchPrediction prediction, Context<BatchPrediction> context) {
        String namespace = prediction.getMetadata().getNamespace();
        var versions = source(context, ModelVersion.class, VERSIONS);
        String pinned = prediction.getSpec().getModelVersion();
        if (pinned != null) {
            Optional<ModelVersion> version = versions.get(new ResourceID(pinned, namespace));
            if (version.isEmpty()) {
                return new Scoring(Optional.empty(), Optional.of("ModelVersion " + pinned + " does not exist; the"
                        + " CronJob is suspended until it is deployed"));
            }
            Stage stage = Optional.ofNullable(version.get().getStatus()).map(s -> s.getStage()).orElse(Stage.Registered);
            return stage == Stage.Deployed ? new Scoring(version, Optional.empty())
                    : new Scoring(Optional.empty(), Optional.of("ModelVersion " + pinned + " is " + stage
                            + ", not Deployed; the CronJob is suspended until it is deployed"));
        }
        String model = prediction.getSpec().getModel();
        Optional<String> champion = source(context, ConfigMap.class, RECORDS)
                .get(new ResourceID(ChampionRecord.configMapName(model), namespace))
                .map(record -> ChampionRecord.of(record).champion());
        Optional<ModelVersion> version = champion.flatMap(name -> versions.get(new ResourceID(name, namespace)))
                .filter(v -> v.getStatus() != null && Boolean.TRUE.equals(v.getStatus().getChampion()));
        return version.isPresent() ? new Scoring(version, Optional.empty())
                : new Scoring(Optional.empty(), Optional.of("model " + model + " has no deployed version; the CronJob"
                        + " is suspended until one is deployed"));
    }

    @SuppressWarnings("unchecked")
    private static <R extends HasMetadata> InformerEventSource<R, BatchPrediction> source(
            Context<BatchPrediction> context, Class<R> type, String name) {
        return (InformerEventSource<R, BatchPrediction>) context.eventSourceRetriever().getEventSourceFor(type, name);
    }


    private static BatchPredictionStatus copy(BatchPredictionStatus status) {
        return JSON.convertValue(status, BatchPredictionStatus.class);
    }

    private static JsonNode json(BatchPredictionStatus status) {
        return JSON.valueToTree(status);
    }


    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
