package dev.modelops.batchprediction;

import dev.modelops.api.v1alpha1.BatchPrediction;
import dev.modelops.api.v1alpha1.BatchPredictionStatus;
import dev.modelops.api.v1alpha1.ConcurrencyPolicy;
import dev.modelops.api.v1alpha1.ConditionStatus;
import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.MissedRuns;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelJobSpec;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.PredictionRun;
import dev.modelops.api.v1alpha1.Stage;
import dev.modelops.common.Conditions;
import dev.modelops.common.EventRecorder;
import dev.modelops.common.InformerLists;
import dev.modelops.common.Labels;
import dev.modelops.common.Names;
import dev.modelops.common.Owners;
import dev.modelops.common.StatusPatch;
import dev.modelops.lifecycle.JobLifecycle;
import dev.modelops.lifecycle.Schedule;
import dev.modelops.workload.JobSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.inject.Inject;

import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
    static final String RUN_NOW = "modelops.dev/run-now";
    private static final String BY_MODEL = "byModel";
    private static final String BY_VERSION = "byModelVersion";
    private static final String CRON_JOBS = "cronjobs";
    private static final String JOBS = "jobs";
    private static final String RUNS = "runs";
    private static final String VERSIONS = "versions";
    private static final String RECORDS = "championrecords";
    private static final String CHAMPION_PREFIX = "modelops-champion-";
    private static final Duration DEFAULT_MISS_GRACE = Duration.ofSeconds(60);
    private static final int MISSED_CHECK_LIMIT = 1000;

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
        var byLabel = (io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper<io.fabric8.kubernetes.api.model.HasMetadata>)
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

        // The CronJob: created for the version it scores with, suspended while there is none.
        if (schedule.isPresent() && templateProblem == null) {
            if (scoring.version().isPresent()) {
                CronJob desired = cronJobs.build(prediction, scoring.version().get(), suspendedBySpec);
                cronJob = Optional.of(apply(client, desired, cronJob));
            } else if (cronJob.isPresent() && !Boolean.TRUE.equals(cronJob.get().getSpec().getSuspend())) {
                cronJob = Optional.of(client.batch().v1().cronjobs().inNamespace(namespace)
                        .withName(cronJob.get().getMetadata().getName())
                        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":true}}"));
            }
        }
        status.setCronJobName(cronJob.map(c -> c.getMetadata().getName()).orElse(null));
        String scoringNow = cronJob.map(c -> c.getMetadata().getLabels().get(Labels.MODEL_VERSION)).orElse(null);
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
                    .forEach(job -> adopt(client, prediction, job).ifPresent(run -> {
                        runs.add(run);
                        runNames.add(run.getMetadata().getName());
                        events.record(prediction, PredictionReason.RunAdopted, "Run " + job.getMetadata().getName()
                                + " is ModelJob " + run.getMetadata().getName(), now);
                    }));
        }

        // Run now: one run per new value of the annotation.
        String runNow = Optional.ofNullable(prediction.getMetadata().getAnnotations()).map(a -> a.get(RUN_NOW))
                .filter(value -> !value.isBlank()).orElse(null);
        Optional<String> runNowRefused = Optional.empty();
        if (runNow != null && !runNow.equals(status.getLastRunNow())) {
            runNowRefused = runNow(client, events, prediction, cronJob, runs, runNow, status, now);
        } else if (old != null && old.getMessage() != null && old.getMessage().contains(RUN_NOW_REFUSED)) {
            runNowRefused = Optional.of(old.getMessage().substring(old.getMessage().indexOf(RUN_NOW_REFUSED)));
        }

        prune(client, events, prediction, runs, now);
        runs.sort(Comparator.comparing((ModelJob run) -> run.getMetadata().getCreationTimestamp()).reversed()
                .thenComparing(run -> run.getMetadata().getName()));
        status.setRuns(runs.stream().map(BatchPredictionReconciler::run).toList());
        runs.stream().findFirst().ifPresent(newest -> status.setLastScheduleTime(newest.getMetadata().getCreationTimestamp()));
        runs.stream().filter(run -> run.getStatus() != null && run.getStatus().getPhase() == JobPhase.Succeeded)
                .map(run -> run.getStatus().getCompletionTime()).filter(Objects::nonNull).max(String::compareTo)
                .ifPresent(status::setLastSuccessfulTime);

        boolean active = cronJob.isPresent() && !Boolean.TRUE.equals(cronJob.get().getSpec().getSuspend());
        status.setNextScheduleTime(active ? schedule.flatMap(s -> s.nextAfter(now)).map(Conditions::timestamp).orElse(null)
                : null);
        if (schedule.isPresent() && active) {
            missedRuns(events, prediction, schedule.get(), runNames, status, now);
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
            writeStatus(prediction, status, context);
        }
        return next(schedule, active, prediction, now);
    }

    /** Look again when a scheduled time's run should have started, to tell whether it was missed. */
    private static UpdateControl<BatchPrediction> next(Optional<Schedule> schedule, boolean active,
            BatchPrediction prediction, Instant now) {
        if (schedule.isEmpty() || !active) {
            return UpdateControl.noUpdate();
        }
        return schedule.get().nextAfter(now).map(at -> Duration.between(now, at.plus(grace(prediction))))
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
                .get(new ResourceID(CHAMPION_PREFIX + model, namespace))
                .map(record -> record.getData() == null ? null : record.getData().get("champion"))
                .filter(name -> !name.isBlank());
        Optional<ModelVersion> version = champion.flatMap(name -> versions.get(new ResourceID(name, namespace)))
                .filter(v -> v.getStatus() != null && Boolean.TRUE.equals(v.getStatus().getChampion()));
        return version.isPresent() ? new Scoring(version, Optional.empty())
                : new Scoring(Optional.empty(), Optional.of("model " + model + " has no deployed version; the CronJob"
                        + " is suspended until one is deployed"));
    }

    /** Creates the CronJob, or updates it when what it should run changed; a run already going keeps its Job. */
    private static CronJob apply(KubernetesClient client, CronJob desired, Optional<CronJob> existing) {
        String hash = Integer.toHexString(client.getKubernetesSerialization().asJson(desired.getSpec()).hashCode());
        desired.getMetadata().setAnnotations(Map.of(SPEC_HASH, hash));
        if (existing.isEmpty()) {
            try {
                return client.resource(desired).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                return client.resource(desired).get();
            }
        }
        var annotations = existing.get().getMetadata().getAnnotations();
        if (annotations != null && hash.equals(annotations.get(SPEC_HASH))) {
            return existing.get();
        }
        desired.getMetadata().setResourceVersion(existing.get().getMetadata().getResourceVersion());
        return client.resource(desired).update();
    }

    private static final String SPEC_HASH = "modelops.dev/spec-hash";

    /** The ModelJob that tracks a Job the CronJob (or a person, from the CronJob) started. */
    private static Optional<ModelJob> adopt(KubernetesClient client, BatchPrediction prediction, Job job) {
        String version = job.getMetadata().getLabels().get(Labels.MODEL_VERSION);
        if (version == null) {
            return Optional.empty();
        }
        ModelJob run = new ModelJob();
        run.getMetadata().setName(job.getMetadata().getName());
        run.getMetadata().setNamespace(job.getMetadata().getNamespace());
        run.getMetadata().setLabels(Map.of(Labels.MANAGED_BY, Labels.OPERATOR,
                Labels.MODEL, job.getMetadata().getLabels().getOrDefault(Labels.MODEL, ""),
                Labels.MODEL_VERSION, version, Labels.JOB_TYPE, JobType.BatchPrediction.name(),
                Labels.BATCH_PREDICTION, prediction.getMetadata().getName()));
        run.getMetadata().setAnnotations(Map.of(JobLifecycle.ADOPTED_JOB, job.getMetadata().getUid()));
        run.getMetadata().setOwnerReferences(List.of(Owners.controller(prediction)));
        ModelJobSpec spec = new ModelJobSpec();
        spec.setType(JobType.BatchPrediction);
        spec.setModelVersion(version);
        run.setSpec(spec);
        try {
            return Optional.of(client.resource(run).create());
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return Optional.empty(); // adopted by an earlier reconcile; the cache has not seen it yet
            }
            throw e;
        }
    }

    /**
     * Starts one run for a new value of the annotation, as {@code kubectl create job --from=cronjob/...} does: a Job
     * from the CronJob's template, named after the value, so that the same value never starts a second run, also
     * after a restart. The value is recorded as handled, whatever the outcome.
     */
    private static final String RUN_NOW_REFUSED = "Run now (";

    /** Starts the run, or says why it was refused. */
    private Optional<String> runNow(KubernetesClient client, EventRecorder events, BatchPrediction prediction,
            Optional<CronJob> cronJob, List<ModelJob> runs, String value, BatchPredictionStatus status, Instant now) {
        status.setLastRunNow(value);
        if (cronJob.isEmpty() || Boolean.TRUE.equals(cronJob.get().getSpec().getSuspend())
                && !Boolean.TRUE.equals(prediction.getSpec().getSuspend())) {
            String refused = RUN_NOW_REFUSED + value + ") refused: there is no version to score with";
            events.record(prediction, PredictionReason.RunNowRefused, refused, now);
            return Optional.of(refused);
        }
        List<ModelJob> going = runs.stream().filter(run -> !JobLifecycle.ended(run)).toList();
        ConcurrencyPolicy policy = Optional.ofNullable(prediction.getSpec().getConcurrencyPolicy())
                .orElse(ConcurrencyPolicy.Forbid);
        if (!going.isEmpty() && policy == ConcurrencyPolicy.Forbid) {
            String names = going.stream().map(run -> run.getMetadata().getName()).collect(Collectors.joining(", "));
            String refused = RUN_NOW_REFUSED + value + ") refused: concurrencyPolicy is Forbid and ModelJob " + names
                    + " is running";
            events.record(prediction, PredictionReason.RunNowRefused, refused, now);
            return Optional.of(refused);
        }
        if (policy == ConcurrencyPolicy.Replace) {
            going.forEach(run -> {
                client.resources(ModelJob.class).inNamespace(run.getMetadata().getNamespace())
                        .withName(run.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE),
                                "{\"spec\":{\"stop\":true,\"reason\":\"replaced by run now " + value.replace("\"", "") + "\"}}");
                events.record(prediction, PredictionReason.RunReplaced, "Stopped ModelJob "
                        + run.getMetadata().getName() + " to run now (" + value + ")", now);
            });
        }
        CronJob owner = cronJob.get();
        String suffix = "now-" + value.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        Job job = new JobBuilder()
                .withNewMetadataLike(owner.getSpec().getJobTemplate().getMetadata())
                .withName(Names.child(owner.getMetadata().getName(), suffix, Names.LABEL_MAX))
                .withNamespace(owner.getMetadata().getNamespace())
                .addToAnnotations("cronjob.kubernetes.io/instantiate", "manual")
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("CronJob")
                        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                        .withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withSpec(owner.getSpec().getJobTemplate().getSpec()).build();
        try {
            client.resource(job).create();
            events.record(prediction, PredictionReason.RunNow, "Run now (" + value + "): started Job "
                    + job.getMetadata().getName(), now);
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
        }
        return Optional.empty();
    }

    /** Ended runs beyond the history limits are deleted, oldest first, with their logs. */
    private static void prune(KubernetesClient client, EventRecorder events, BatchPrediction prediction,
            List<ModelJob> runs, Instant now) {
        int succeeded = Optional.ofNullable(prediction.getSpec().getSuccessfulRunsHistoryLimit()).orElse(10);
        int failed = Optional.ofNullable(prediction.getSpec().getFailedRunsHistoryLimit()).orElse(10);
        List<ModelJob> deleted = new ArrayList<>();
        for (boolean success : new boolean[] {true, false}) {
            List<ModelJob> ended = runs.stream().filter(JobLifecycle::ended)
                    .filter(run -> (run.getStatus().getPhase() == JobPhase.Succeeded) == success)
                    .sorted(Comparator.comparing((ModelJob run) -> run.getMetadata().getCreationTimestamp())
                            .thenComparing(run -> run.getMetadata().getName()))
                    .toList();
            int limit = success ? succeeded : failed;
            deleted.addAll(ended.subList(0, Math.max(0, ended.size() - limit)));
        }
        for (ModelJob run : deleted) {
            client.resources(ModelJob.class).inNamespace(run.getMetadata().getNamespace())
                    .withName(run.getMetadata().getName()).delete();
            events.record(prediction, PredictionReason.RunDeleted, "Deleted ModelJob " + run.getMetadata().getName()
                    + " and its logs: beyond the history limits", now);
            runs.remove(run);
        }
    }

    /**
     * Scheduled times since the last check at which no run started, counted once each: the operator or the cluster
     * was down, Forbid held the run back, or its starting deadline passed.
     */
    private static void missedRuns(EventRecorder events, BatchPrediction prediction, Schedule schedule,
            Set<String> runNames, BatchPredictionStatus status, Instant now) {
        MissedRuns missed = Optional.ofNullable(status.getMissedRuns()).orElseGet(MissedRuns::new);
        Instant from = Optional.ofNullable(missed.getCheckedUntil()).map(Instant::parse)
                .orElse(Instant.parse(prediction.getMetadata().getCreationTimestamp()));
        Instant until = now.minus(grace(prediction));
        if (!until.isAfter(from)) {
            return;
        }
        List<Instant> due = schedule.between(from, until, MISSED_CHECK_LIMIT);
        List<Instant> notRun = due.stream()
                .filter(at -> !runNames.contains(Schedule.jobName(CronJobs.name(prediction), at))).toList();
        if (due.isEmpty()) {
            return;
        }
        missed.setCheckedUntil(Conditions.timestamp(due.get(due.size() - 1)));
        if (!notRun.isEmpty()) {
            missed.setCount(Optional.ofNullable(missed.getCount()).orElse(0L) + notRun.size());
            missed.setLastMissedTime(Conditions.timestamp(notRun.get(notRun.size() - 1)));
            events.record(prediction, PredictionReason.MissedRuns, "No run started at the scheduled "
                    + (notRun.size() == 1 ? "time " : notRun.size() + " times, the last ")
                    + notRun.stream().skip(Math.max(0, notRun.size() - 5)).map(Conditions::timestamp)
                            .collect(Collectors.joining(", ")), now);
        }
        status.setMissedRuns(missed);
    }

    /** How long after a scheduled time its run may still start. */
    private static Duration grace(BatchPrediction prediction) {
        return Optional.ofNullable(prediction.getSpec().getStartingDeadlineSeconds()).map(Duration::ofSeconds)
                .map(d -> d.plusSeconds(10)).orElse(DEFAULT_MISS_GRACE);
    }

    private static PredictionRun run(ModelJob job) {
        PredictionRun run = new PredictionRun();
        run.setModelJob(job.getMetadata().getName());
        run.setModelVersion(job.getSpec().getModelVersion());
        if (job.getStatus() != null) {
            run.setPhase(job.getStatus().getPhase());
            run.setStartTime(job.getStatus().getStartTime());
            run.setCompletionTime(job.getStatus().getCompletionTime());
            run.setResult(job.getStatus().getResult());
        } else {
            run.setPhase(JobPhase.Pending);
        }
        return run;
    }

    @SuppressWarnings("unchecked")
    private static <R extends io.fabric8.kubernetes.api.model.HasMetadata> InformerEventSource<R, BatchPrediction> source(
            Context<BatchPrediction> context, Class<R> type, String name) {
        return (InformerEventSource<R, BatchPrediction>) context.eventSourceRetriever().getEventSourceFor(type, name);
    }

    private static void writeStatus(BatchPrediction prediction, BatchPredictionStatus status,
            Context<BatchPrediction> context) {
        BatchPredictionStatus old = prediction.getStatus();
        PrimaryUpdateAndCacheUtils.updateAndCacheResource(prediction, context, current -> {
            current.setStatus(status);
            return current;
        }, current -> StatusPatch.write(context.getClient(), current, old), 0,
                PrimaryUpdateAndCacheUtils.DEFAULT_RESOURCE_CACHE_TIMEOUT_MILLIS,
                PrimaryUpdateAndCacheUtils.DEFAULT_RESOURCE_CACHE_POLL_PERIOD_MILLIS);
    }

    private static BatchPredictionStatus copy(BatchPredictionStatus status) {
        return JSON.convertValue(status, BatchPredictionStatus.class);
    }

    private static com.fasterxml.jackson.databind.JsonNode json(BatchPredictionStatus status) {
        return JSON.valueToTree(status);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
