package dev.modelops.batchprediction;

import dev.modelops.api.v1alpha1.BatchPrediction;
import dev.modelops.api.v1alpha1.BatchPredictionSpec;
import dev.modelops.api.v1alpha1.BatchPredictionStatus;
import dev.modelops.api.v1alpha1.ConcurrencyPolicy;
import dev.modelops.api.v1alpha1.ContainerTemplate;
import dev.modelops.api.v1alpha1.DataLocation;
import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelSource;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.ModelVersionSpec;
import dev.modelops.api.v1alpha1.ModelVersionStatus;
import dev.modelops.api.v1alpha1.PredictionRun;
import dev.modelops.api.v1alpha1.Stage;
import dev.modelops.api.v1alpha1.StepTemplate;
import dev.modelops.common.Conditions;
import dev.modelops.modeljob.ModelJobReconciler;
import dev.modelops.testing.PlainOperators;
import dev.modelops.testing.SimulatedClusterTest;
import dev.modelops.testing.TestJobSettings;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.Operator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A BatchPrediction on the simulated runtime and its manual clock, with the ModelJob and BatchPrediction
 * controllers: the versions' lifecycle is set by hand in their status and the champion record, as the ModelVersion
 * controller would leave them.
 */
class BatchPredictionTest extends SimulatedClusterTest {

    private Operator operator;
    private KubernetesClient operatorClient;

    @BeforeEach
    void startAtTheWallClock() {
        // The API server stamps creation times from the wall clock, in whole seconds. Starting at the wall clock, no
        // scheduled time falls between a CronJob's creation and the manual clock's now: the only runs are the ones
        // a test moves the clock to.
        clock.set(Instant.now());
        startOperator();
    }

    private void startOperator() {
        operatorClient = server.newClient("modelops-operator/test");
        var settings = TestJobSettings.defaults();
        Clock operatorClock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return clock.now();
            }
        };
        operator = PlainOperators.create(operatorClient, settings, overrider -> { });
        operator.register(new ModelJobReconciler(settings, operatorClock));
        operator.register(new BatchPredictionReconciler(settings, operatorClock));
        operator.start();
    }

    @AfterEach
    void stopOperator() {
        operator.stop();
        operatorClient.close();
    }

    /** A new operator process: nothing carried over but what is in the API server. */
    private void restartOperator() {
        stopOperator();
        startOperator();
    }

    @Test
    void scheduledRunsAndARunStartedFromTheCronJobByHandAreAdoptedAsModelJobsWithNoSecondJob() {
        deployed("churn-v1", "churn");
        create(prediction("churn-hourly", "churn", ConcurrencyPolicy.Allow, "0s"));
        CronJob cronJob = awaitCronJob("churn-hourly");
        assertEquals("churn-v1", cronJob.getSpec().getJobTemplate().getMetadata().getLabels().get("modelops.dev/model-version"));
        Map<String, String> env = cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers()
                .get(0).getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        assertEquals("s3://datasets/churn/today.csv", env.get("MODELOPS_DATASET_URI"));
        assertEquals("s3://predictions/churn/", env.get("MODELOPS_OUTPUT_URI"));
        assertEquals("churn-v1", env.get("MODELOPS_MODEL_VERSION"));
        assertTrue(cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0)
                .getSecurityContext().getRunAsNonRoot());

        String scheduled = "churn-hourly-" + nextMinute().getEpochSecond() / 60;
        ModelJob run = awaitRun(scheduled, JobPhase.Succeeded);
        assertEquals("churn-v1", run.getSpec().getModelVersion());
        assertEquals(scheduled, run.getStatus().getJobName());
        assertEquals(List.of(scheduled), jobNames(), "the CronJob's Job, no second one");
        assertTrue(run.getStatus().getLogs() != null, "its logs are kept like any job's");

        Job byHand = new JobBuilder().withNewMetadataLike(cronJob.getSpec().getJobTemplate().getMetadata())
                .withName("churn-by-hand").addToAnnotations("cronjob.kubernetes.io/instantiate", "manual")
                .addNewOwnerReference().withApiVersion("batch/v1").withKind("CronJob").withName("churn-hourly")
                .withUid(cronJob.getMetadata().getUid()).withController(true).endOwnerReference().endMetadata()
                .withSpec(cronJob.getSpec().getJobTemplate().getSpec()).build();
        client.resource(byHand).create(); // what kubectl create job --from=cronjob/churn-hourly churn-by-hand sends
        awaitRun("churn-by-hand", JobPhase.Succeeded);
        assertEquals(List.of("churn-by-hand", scheduled), jobNames());
        await().until(() -> runs("churn-hourly").size() == 2);
    }

    @Test
    void runNowStartsOneRunPerValueAndForbidRefusesASecondWhileOneRuns() {
        deployed("fraud-v1", "fraud");
        create(prediction("fraud-now", "fraud", ConcurrencyPolicy.Forbid, "600s"));
        awaitCronJob("fraud-now");

        annotate("fraud-now", "1");
        ModelJob run = awaitRun("fraud-now-now-1", JobPhase.Running);
        assertEquals("fraud-v1", run.getSpec().getModelVersion());
        await().until(() -> "1".equals(status("fraud-now").getLastRunNow()));
        annotate("fraud-now", "1");
        annotate("fraud-now", "2");
        await().until(() -> "2".equals(status("fraud-now").getLastRunNow()));
        assertEquals(List.of("fraud-now-now-1"), jobNames(), "value 1 ran once; value 2 was refused");
        await().until(() -> String.valueOf(status("fraud-now").getMessage()).contains("fraud-now-now-1 is running"));
        assertTrue(status("fraud-now").getMessage().contains("ModelJob fraud-now-now-1 is running"),
                status("fraud-now").getMessage());
        assertTrue(events("fraud-now").contains("RunNowRefused"));
    }

    @Test
    void withoutAChampionItWaitsSuspendedAndFollowsTheChampionOnceThereIsOne() {
        create(prediction("risk-daily", "risk", ConcurrencyPolicy.Forbid, "0s"));
        await().until(() -> prediction("risk-daily").getStatus() != null);
        BatchPrediction waiting = prediction("risk-daily");
        var ready = Conditions.find(waiting.getStatus().getConditions(), "Ready").orElseThrow();
        assertEquals("False", ready.getStatus().name());
        assertEquals("NoDeployedVersion", ready.getReason());
        assertEquals("model risk has no deployed version; the CronJob is suspended until one is deployed",
                ready.getMessage());

        deployed("risk-v1", "risk");
        await().until(() -> Conditions.isTrue(status("risk-daily").getConditions(), "Ready"));
        assertEquals("risk-v1", awaitCronJob("risk-daily").getSpec().getJobTemplate().getMetadata().getLabels()
                .get("modelops.dev/model-version"));

        deployed("risk-v2", "risk");
        retired("risk-v1");
        await().until(() -> "risk-v2".equals(client.batch().v1().cronjobs().withName("risk-daily").get().getSpec()
                .getJobTemplate().getMetadata().getLabels().get("modelops.dev/model-version")));
        await().until(() -> "risk-v2".equals(status("risk-daily").getModelVersion()));

        retired("risk-v2");
        client.configMaps().withName("modelops-champion-risk").edit(cm -> {
            cm.getData().put("champion", "");
            return cm;
        });
        await().until(() -> Boolean.TRUE.equals(client.batch().v1().cronjobs().withName("risk-daily").get().getSpec()
                .getSuspend()));
        await().until(() -> Conditions.isTrue(status("risk-daily").getConditions(), "Suspended"));
    }

    @Test
    void runsBeyondTheHistoryLimitAreDeletedAndMissedScheduledTimesAreReported() {
        deployed("ads-v1", "ads");
        BatchPrediction prediction = prediction("ads-minutely", "ads", ConcurrencyPolicy.Forbid, "0s");
        prediction.getSpec().setSuccessfulRunsHistoryLimit(1);
        create(prediction);
        awaitCronJob("ads-minutely");
        String first = "ads-minutely-" + nextMinute().getEpochSecond() / 60;
        awaitRun(first, JobPhase.Succeeded);
        String second = "ads-minutely-" + nextMinute().getEpochSecond() / 60;
        awaitRun(second, JobPhase.Succeeded);
        await().until(() -> client.resources(ModelJob.class).withName(first).get() == null);
        await().until(() -> List.of(second).equals(runs("ads-minutely").stream()
                .map(PredictionRun::getModelJob).toList()));

        // Forbid holds back the scheduled runs while a long one runs: the CronJob skips them, and they are missed.
        create(prediction("ads-forbid", "ads", ConcurrencyPolicy.Forbid, "600s"));
        awaitCronJob("ads-forbid");
        nextMinute();
        await().until(() -> runs("ads-forbid").stream().anyMatch(run -> run.getPhase() == JobPhase.Running));
        long missedBefore = java.util.Optional.ofNullable(status("ads-forbid").getMissedRuns())
                .map(m -> m.getCount()).orElse(0L);
        clock.advance(Duration.ofMinutes(1));
        clock.advance(Duration.ofSeconds(61));
        client.resources(BatchPrediction.class).withName("ads-forbid").edit(bp -> {
            bp.getMetadata().getLabels().put("poke", "1");
            return bp;
        });
        await().until(() -> status("ads-forbid").getMissedRuns() != null
                && status("ads-forbid").getMissedRuns().getCount() != null
                && status("ads-forbid").getMissedRuns().getCount() >= missedBefore + 2);
        assertTrue(events("ads-forbid").contains("MissedRuns"));
    }

    @Test
    void aRunScheduledWhileTheOperatorIsDownIsAdoptedOnceWhenItIsBack() {
        deployed("loans-v1", "loans");
        create(prediction("loans-hourly", "loans", ConcurrencyPolicy.Allow, "30s"));
        awaitCronJob("loans-hourly");
        String first = "loans-hourly-" + nextMinute().getEpochSecond() / 60;
        awaitRun(first, JobPhase.Running);

        stopOperator();
        String second = "loans-hourly-" + nextMinute().getEpochSecond() / 60;
        await().until(() -> jobNames().contains(second)); // the cluster's CronJob fires with no operator
        startOperator();

        assertEquals("loans-v1", awaitRun(second, JobPhase.Running).getSpec().getModelVersion());
        awaitRun(first, JobPhase.Succeeded); // it ended while the operator was down
        clock.advance(Duration.ofSeconds(40)); // not yet the next minute
        awaitRun(second, JobPhase.Succeeded);
        assertEquals(List.of(first, second), jobNames(), "one Job per scheduled time, none started twice");
        assertEquals(List.of(first, second), runNames("loans-hourly"), "one ModelJob per Job");
        await().until(() -> runs("loans-hourly").size() == 2);
    }

    @Test
    void aRunNowValueIsHandledOnceAlsoAfterARestartWhenItsRunIsGone() {
        deployed("leads-v1", "leads");
        create(prediction("leads-now", "leads", ConcurrencyPolicy.Forbid, "0s"));
        awaitCronJob("leads-now");
        annotate("leads-now", "1");
        awaitRun("leads-now-now-1", JobPhase.Succeeded);
        await().until(() -> "1".equals(status("leads-now").getLastRunNow()));

        stopOperator();
        // Its run and Job are gone, as history pruning or a person would leave them; the annotation stays.
        client.resources(ModelJob.class).withName("leads-now-now-1").delete();
        client.batch().v1().jobs().withName("leads-now-now-1").delete();
        await().until(() -> jobNames().isEmpty() && runNames("leads-now").isEmpty());
        startOperator();

        long generation = client.resources(BatchPrediction.class).withName("leads-now")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"failedRunsHistoryLimit\":3}}")
                .getMetadata().getGeneration();
        await().until(() -> Long.valueOf(generation).equals(status("leads-now").getObservedGeneration()));
        assertEquals(List.of(), jobNames(), "value 1 was handled before the restart: no second run");
        assertEquals(1, events("leads-now").stream().filter("RunNow"::equals).count());

        annotate("leads-now", "2");
        awaitRun("leads-now-now-2", JobPhase.Succeeded);
        assertEquals(List.of("leads-now-now-2"), jobNames());
    }

    @Test
    void allowRunsANewRunBesideTheRunningOneAndReplaceStopsTheRunningOneFirst() {
        deployed("spam-v1", "spam");
        create(prediction("spam-allow", "spam", ConcurrencyPolicy.Allow, "600s"));
        create(prediction("spam-replace", "spam", ConcurrencyPolicy.Replace, "600s"));
        awaitCronJob("spam-allow");
        awaitCronJob("spam-replace");

        annotate("spam-allow", "1");
        awaitRun("spam-allow-now-1", JobPhase.Running);
        annotate("spam-allow", "2");
        awaitRun("spam-allow-now-2", JobPhase.Running);
        assertEquals(JobPhase.Running, awaitRun("spam-allow-now-1", JobPhase.Running).getStatus().getPhase());

        annotate("spam-replace", "1");
        awaitRun("spam-replace-now-1", JobPhase.Running);
        annotate("spam-replace", "2");
        awaitRun("spam-replace-now-2", JobPhase.Running);
        ModelJob replaced = awaitRun("spam-replace-now-1", JobPhase.Cancelled);
        assertTrue(replaced.getStatus().getMessage().contains("replaced by run now 2"),
                replaced.getStatus().getMessage());
        assertTrue(events("spam-replace").contains("RunReplaced"));
        assertEquals(JobPhase.Running, awaitRun("spam-allow-now-1", JobPhase.Running).getStatus().getPhase(),
                "Allow stops nothing");
    }

    @Test
    void aNewChampionRepointsTheCronJobWhileTheRunningRunKeepsItsVersion() {
        deployed("churnx-v1", "churnx");
        create(prediction("churnx-daily", "churnx", ConcurrencyPolicy.Allow, "600s"));
        awaitCronJob("churnx-daily");
        annotate("churnx-daily", "1");
        awaitRun("churnx-daily-now-1", JobPhase.Running);

        deployed("churnx-v2", "churnx");
        retired("churnx-v1");
        await().until(() -> "churnx-v2".equals(client.batch().v1().cronjobs().withName("churnx-daily").get()
                .getSpec().getJobTemplate().getMetadata().getLabels().get("modelops.dev/model-version")));
        await().until(() -> "churnx-v2".equals(status("churnx-daily").getModelVersion()));

        ModelJob going = awaitRun("churnx-daily-now-1", JobPhase.Running);
        assertEquals("churnx-v1", going.getSpec().getModelVersion());
        assertEquals("churnx-v1", versionIn(client.batch().v1().jobs().withName("churnx-daily-now-1").get()));
        annotate("churnx-daily", "2");
        assertEquals("churnx-v2", awaitRun("churnx-daily-now-2", JobPhase.Running).getSpec().getModelVersion());
        assertEquals("churnx-v2", versionIn(client.batch().v1().jobs().withName("churnx-daily-now-2").get()));
    }

    @Test
    void runNowValuesInAnyScriptAndOfAnyLengthEachStartOneRunUnderAValidJobName() {
        deployed("odd-v1", "odd");
        create(prediction("odd-values", "odd", ConcurrencyPolicy.Allow, "600s"));
        awaitCronJob("odd-values");
        List<String> values = List.of("🚀", "Run 1", "run-1", "ñandú \\ \"quoted\"\nnew line", "x".repeat(300));

        for (String value : values) {
            annotateJson("odd-values", value);
            await().until(() -> value.equals(status("odd-values").getLastRunNow()));
        }

        await().until(() -> runs("odd-values").size() == values.size());
        List<String> names = jobNames();
        assertEquals(values.size(), names.size(), "one Job per value: " + names);
        assertTrue(names.stream().allMatch(name -> name.length() <= 63
                && name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")), names.toString());
        assertTrue(names.contains("odd-values-now-run-1"), "a value that is a name already keeps it: " + names);
        names.forEach(name -> awaitRun(name, JobPhase.Running));
        assertTrue(events("odd-values").stream().noneMatch(reason -> reason.equals("RunNowRefused")));
    }

    @Test
    void aCronJobEditedByHandIsWrittenBackAndTheBatchPredictionSaysSo() {
        deployed("edit-v1", "edit");
        create(prediction("edit-hourly", "edit", ConcurrencyPolicy.Forbid, "0s"));
        CronJob written = awaitCronJob("edit-hourly");

        client.batch().v1().cronjobs().withName("edit-hourly").edit(cronJob -> {
            cronJob.getSpec().setSchedule("0 0 1 1 *");
            cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0)
                    .setImage("ghcr.io/someone/else:1");
            return cronJob;
        });

        await().until(() -> {
            CronJob now = client.batch().v1().cronjobs().withName("edit-hourly").get();
            return "* * * * *".equals(now.getSpec().getSchedule()) && "ghcr.io/acme/churn-score:1.0".equals(now.getSpec()
                    .getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        });
        await().until(() -> events("edit-hourly").contains("CronJobRestored"));
        assertEquals(written.getMetadata().getUid(), client.batch().v1().cronjobs().withName("edit-hourly").get()
                .getMetadata().getUid(), "the same CronJob, written back");
        long restores = eventCount("edit-hourly", "CronJobRestored");
        await().during(Duration.ofSeconds(1)).until(() -> eventCount("edit-hourly", "CronJobRestored") == restores);
        assertEquals(1, restores, "written back once, not fought over");
    }

    @Test
    void aCronJobOfItsNameThatIsNotItsOwnIsLeftAloneAndReported() {
        deployed("taken-v1", "taken");
        client.batch().v1().cronjobs().resource(new io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder()
                .withNewMetadata().withName("taken-daily").endMetadata()
                .withNewSpec().withSchedule("0 3 * * *").withNewJobTemplate().withNewSpec().withNewTemplate()
                .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("main").withImage("busybox")
                .endContainer().endSpec().endTemplate().endSpec().endJobTemplate().endSpec().build()).create();

        create(prediction("taken-daily", "taken", ConcurrencyPolicy.Forbid, "0s"));

        await().until(() -> status("taken-daily") != null && Conditions.find(status("taken-daily").getConditions(),
                "Ready").map(c -> c.getReason().equals("CronJobNameTaken")).orElse(false));
        assertEquals("a CronJob named taken-daily exists and does not belong to this BatchPrediction; delete it"
                + " (kubectl delete cronjob taken-daily) and the BatchPrediction creates its own",
                status("taken-daily").getMessage());
        CronJob theirs = client.batch().v1().cronjobs().withName("taken-daily").get();
        assertEquals("0 3 * * *", theirs.getSpec().getSchedule());
        assertTrue(theirs.getMetadata().getOwnerReferences() == null || theirs.getMetadata().getOwnerReferences()
                .isEmpty());

        client.batch().v1().cronjobs().withName("taken-daily").delete();
        await().atMost(Duration.ofSeconds(40)).until(() -> { // looked at again every 15 s
            CronJob own = client.batch().v1().cronjobs().withName("taken-daily").get();
            return own != null && "* * * * *".equals(own.getSpec().getSchedule());
        });
    }

    /**
     * Moves the clock to 5 s past the next minute (after the wall clock's too, so that it is after every creation),
     * a scheduled time of "* * * * *"; returns that minute.
     */
    private Instant nextMinute() {
        Instant base = clock.now().isAfter(Instant.now()) ? clock.now() : Instant.now();
        Instant minute = base.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        clock.set(minute.plusSeconds(5));
        return minute;
    }

    private void deployed(String name, String model) {
        ModelVersion version = new ModelVersion();
        version.getMetadata().setName(name);
        version.setSpec(new ModelVersionSpec());
        version.getSpec().setModel(model);
        version.getSpec().setVersion(name.replaceAll("^.*-v", ""));
        ModelSource source = new ModelSource();
        source.setTrain(new StepTemplate());
        version.getSpec().setSource(source);
        ModelVersion created = client.resource(version).create();
        ModelVersionStatus status = new ModelVersionStatus();
        status.setStage(Stage.Deployed);
        status.setChampion(true);
        status.setArtifactUri("s3://models/" + name + "/model.onnx");
        created.setStatus(status);
        client.resource(created).updateStatus();
        client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("modelops-champion-" + model)
                .addToLabels("modelops.dev/champion-of", model).endMetadata()
                .addToData("champion", name).build()).createOr(existing -> existing.update());
    }

    private void retired(String name) {
        ModelVersion version = client.resources(ModelVersion.class).withName(name).get();
        version.getStatus().setStage(Stage.Retired);
        version.getStatus().setChampion(false);
        client.resource(version).updateStatus();
    }

    private static BatchPrediction prediction(String name, String model, ConcurrencyPolicy policy, String runFor) {
        BatchPrediction prediction = new BatchPrediction();
        prediction.getMetadata().setName(name);
        prediction.getMetadata().setLabels(new java.util.HashMap<>());
        BatchPredictionSpec spec = new BatchPredictionSpec();
        spec.setModel(model);
        spec.setSchedule("* * * * *");
        spec.setTimeZone("UTC");
        spec.setConcurrencyPolicy(policy);
        spec.setSuspend(false);
        spec.setSuccessfulRunsHistoryLimit(10);
        spec.setFailedRunsHistoryLimit(10);
        ContainerTemplate template = new ContainerTemplate();
        template.setImage("ghcr.io/acme/churn-score:1.0");
        template.setPodAnnotations(Map.of("sandbox.modelops.dev/duration", runFor,
                "sandbox.modelops.dev/termination-message", "{\"outputUri\":\"s3://predictions/" + name + "/\"}"));
        spec.setTemplate(template);
        spec.setInput(location("s3://datasets/churn/today.csv"));
        spec.setOutput(location("s3://predictions/churn/"));
        prediction.setSpec(spec);
        return prediction;
    }

    private static DataLocation location(String uri) {
        DataLocation location = new DataLocation();
        location.setUri(uri);
        return location;
    }

    private void create(BatchPrediction prediction) {
        client.resource(prediction).create();
    }

    private BatchPrediction prediction(String name) {
        return client.resources(BatchPrediction.class).withName(name).get();
    }

    private void annotate(String name, String value) {
        client.resources(BatchPrediction.class).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"modelops.dev/run-now\":\"" + value + "\"}}}");
    }

    /** A run-now value of any characters, as kubectl annotate sends it. */
    private void annotateJson(String name, String value) {
        client.resources(BatchPrediction.class).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                client.getKubernetesSerialization().asJson(Map.of("metadata", Map.of("annotations",
                        Map.of("modelops.dev/run-now", value)))));
    }

    private long eventCount(String name, String reason) {
        return client.v1().events().withField("involvedObject.name", name).list().getItems().stream()
                .filter(event -> reason.equals(event.getReason()))
                .mapToLong(event -> event.getCount() == null ? 1 : event.getCount()).sum();
    }

    private CronJob awaitCronJob(String name) {
        await().until(() -> client.batch().v1().cronjobs().withName(name).get() != null);
        return client.batch().v1().cronjobs().withName(name).get();
    }

    private ModelJob awaitRun(String name, JobPhase phase) {
        try {
            await().until(() -> {
                ModelJob run = client.resources(ModelJob.class).withName(name).get();
                return run != null && run.getStatus() != null && run.getStatus().getPhase() == phase;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("run " + name + " not " + phase + " at " + clock.now() + ": "
                    + io.fabric8.kubernetes.client.utils.Serialization.asYaml(client.resources(ModelJob.class)
                            .withName(name).get()) + "\njobs: " + jobNames() + "\nbp: "
                    + io.fabric8.kubernetes.client.utils.Serialization.asYaml(client.resources(BatchPrediction.class)
                            .list().getItems().stream().map(bp -> bp.getStatus()).toList()), e);
        }
        return client.resources(ModelJob.class).withName(name).get();
    }

    private List<String> jobNames() {
        return client.batch().v1().jobs().list().getItems().stream().map(job -> job.getMetadata().getName())
                .sorted().toList();
    }

    /** Its status, empty before the controller's first write. */
    private BatchPredictionStatus status(String name) {
        return java.util.Optional.ofNullable(prediction(name).getStatus()).orElseGet(BatchPredictionStatus::new);
    }

    private List<PredictionRun> runs(String name) {
        return java.util.Optional.ofNullable(status(name).getRuns()).orElse(List.of());
    }

    private List<String> runNames(String prediction) {
        return client.resources(ModelJob.class).withLabel("modelops.dev/batch-prediction", prediction).list()
                .getItems().stream().map(run -> run.getMetadata().getName()).sorted().toList();
    }

    private static String versionIn(Job job) {
        return job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(env -> env.getName().equals("MODELOPS_MODEL_VERSION")).map(EnvVar::getValue).findFirst()
                .orElseThrow();
    }

    private List<String> events(String name) {
        return client.v1().events().withField("involvedObject.name", name).list().getItems().stream()
                .map(Event::getReason).toList();
    }
}
