package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.EventType;
import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.LogsRef;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelJobStatus;
import dev.modelops.api.v1alpha1.TimelineEntry;
import dev.modelops.common.Conditions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.modelops.modeljob.Fixtures.T0;
import static dev.modelops.modeljob.Fixtures.job;
import static dev.modelops.modeljob.Fixtures.modelJob;
import static dev.modelops.modeljob.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every way a ModelJob's status can go, computed from fixtures with no API server. */
class ModelJobStatusAggregatorTest {

    static final Duration POD_TIMEOUT = Duration.ofSeconds(30);

    private final ModelJobStatusAggregator aggregator = new ModelJobStatusAggregator();

    @Test
    void theSameObservationTwiceAddsNothingAndWritesNothing() {
        ModelJob modelJob = modelJob("train-1", JobType.Train);
        Job job = job(modelJob).active(1).build();
        List<Pod> pods = List.of(pod("train-1-a", job).scheduled(3).running(5).build());
        var first = aggregator.next(seen(modelJob, job, pods, T0.plusSeconds(10)));
        assertTrue(first.changed());
        modelJob.setStatus(first.status());

        var second = aggregator.next(seen(modelJob, job, pods, T0.plusSeconds(40)));

        assertFalse(second.changed(), "nothing new was seen");
        assertEquals(List.of(), second.newEntries());
        assertEquals(first.status().getConditions().get(0).getLastTransitionTime(),
                second.status().getConditions().get(0).getLastTransitionTime());
    }

    @Test
    void aRunningPodMakesTheJobRunningWithItsStoryFromThePodsOwnTimesInTimeOrder() {
        ModelJob modelJob = modelJob("train-1", JobType.Train);
        Job job = job(modelJob).active(1).build();
        var update = aggregator.next(seen(modelJob, job, List.of(pod("train-1-a", job).scheduled(3).running(5).build()),
                T0.plusSeconds(60)));

        assertEquals(JobPhase.Running, update.status().getPhase());
        assertEquals(List.of("Created", "JobCreated", "PodScheduled", "Started"), reasons(update.status()));
        assertEquals(List.of(Fixtures.at(0), Fixtures.at(1), Fixtures.at(3), Fixtures.at(5)),
                update.status().getTimeline().stream().map(TimelineEntry::getTime).toList());
        assertEquals(Fixtures.at(5), update.status().getStartTime());
    }

    @Test
    void anEntryFromTheClusterThatArrivesLateTakesItsPlaceInTime() {
        Timeline timeline = new Timeline(null);
        timeline.add(ModelJobReason.Created, "created", T0);
        timeline.add(ModelJobReason.StopRequested, "stop", T0.plusSeconds(20));
        timeline.add(ModelJobReason.Started, "pod started", T0.plusSeconds(5));

        assertEquals(List.of("Created", "Started", "StopRequested"),
                timeline.entries().stream().map(TimelineEntry::getReason).toList());
    }

    @Test
    void theTimelineIsBoundedAndKeepsItsFirstEntry() {
        Timeline timeline = new Timeline(null);
        timeline.add(ModelJobReason.Created, "created", T0);
        for (int i = 0; i < 100; i++) {
            timeline.add(ModelJobReason.PodFailed, "pod " + i + " failed", T0.plusSeconds(i));
        }
        assertEquals(Timeline.MAX_ENTRIES, timeline.entries().size());
        assertEquals("Created", timeline.entries().get(0).getReason());
        assertEquals("pod 99 failed", timeline.entries().get(Timeline.MAX_ENTRIES - 1).getMessage());
    }

    @Test
    void afterARetryTheResultComesFromThePodThatSucceededNotTheNewestName() {
        ModelJob modelJob = modelJob("train-1", JobType.Train);
        Job job = job(modelJob).complete(20).counts(1, 1).build();
        // Created in the same second: by name the failed pod sorts last.
        Pod failed = pod("train-1-zzzzz", job).scheduled(3).failed(1, "Error", 4, 8).build();
        Pod succeeded = pod("train-1-aaaaa", job).scheduled(9).succeeded("{\"metrics\":{\"auc\":0.9}}", 10, 19).build();

        var update = aggregator.next(seen(modelJob, job, List.of(failed, succeeded), T0.plusSeconds(21)));

        assertEquals(JobPhase.Succeeded, update.status().getPhase());
        assertEquals(0.9, update.status().getResult().getMetrics().get("auc"));
        assertTrue(reasons(update.status()).contains("PodFailed"), "the retried pod's failure is in the story");
    }

    @Test
    void aJobThatFailedOnItsLastPodsMemoryLimitIsOomKilled() {
        ModelJob modelJob = modelJob("train-1", JobType.Train);
        Job job = job(modelJob).failed("BackoffLimitExceeded", "Job has reached the specified backoff limit", 30, 2)
                .build();
        Pod first = pod("train-1-zzzzz", job).failed(1, "Error", 4, 8).build();
        Pod last = pod("train-1-aaaaa", job).failed(137, "OOMKilled", 10, 29).build();

        var update = aggregator.next(seen(modelJob, job, List.of(first, last), T0.plusSeconds(31)));

        assertEquals("OOMKilled", failedReason(update.status()));
        assertTrue(update.status().getMessage().contains("pod train-1-aaaaa ended with exit code 137 (OOMKilled)"),
                update.status().getMessage());
    }

    @Test
    void aJobPastItsDeadlineFailsAsDeadlineExceededWithTheLastLogLines() {
        ModelJob modelJob = modelJob("train-1", JobType.Train);
        Job job = job(modelJob).failed("DeadlineExceeded", "Job was active longer than specified deadline", 60, 1)
                .build();
        Pod pod = pod("train-1-a", job).failed(143, "Error", 4, 59).build();
        KeptLogs logs = KeptLogs.kept(logsRef("train-1-logs"), Map.of("train-1-a", "epoch 1\nepoch 2\n"));

        var update = aggregator.next(new Observation(modelJob, Optional.of(ModelJobs.version("churn-v3")),
                Children.of(modelJob, Optional.of(job), List.of(pod)), Launch.none(), Optional.of(logs),
                Optional.empty(), T0.plusSeconds(61), POD_TIMEOUT));

        assertEquals("DeadlineExceeded", failedReason(update.status()));
        assertTrue(update.status().getMessage().endsWith("Last log lines:\nepoch 1\nepoch 2"),
                update.status().getMessage());
        assertEquals("train-1-logs", update.status().getLogs().getConfigMap());
    }

    @Test
    void aJobThatTheStatusNamesButIsGoneIsLostAndNeverCreatedAgain() {
        ModelJob modelJob = modelJob("train-1", JobType.Train);
        modelJob.setStatus(new ModelJobStatus());
        modelJob.getStatus().setPhase(JobPhase.Pending);
        modelJob.getStatus().setJobName("train-1");

        var update = aggregator.next(seen(modelJob, null, List.of(), T0.plusSeconds(5)));

        assertEquals("JobLost", failedReason(update.status()));
        assertFalse(dev.modelops.lifecycle.JobLifecycle.launchDue(modelJob, true), "never launched again");
    }

    @Test
    void theStatusNamesTheJobBeforeItIsCreated() {
        ModelJob modelJob = modelJob("train-1", JobType.Train);

        var update = aggregator.next(observe(modelJob, Children.of(modelJob, Optional.empty(), List.of()),
                new Launch.Intended(Optional.empty()), T0));

        assertTrue(update.changed());
        assertEquals("train-1", update.status().getJobName());
        assertEquals(JobPhase.Pending, update.status().getPhase());
        assertFalse(dev.modelops.lifecycle.JobLifecycle.launchDue(withStatus(modelJob, update.status()), true));
    }

    @Test
    void aPodBelowRestrictedIsAWarningRecordedWithTheStatusThatNamesTheJob() {
        ModelJob modelJob = modelJob("train-1", JobType.Train);
        String why = "The pods of Job train-1 do not meet Pod Security \"restricted\": spec.template.securityContext"
                + ".runAsNonRoot: false (allowed up to baseline by the operator's setting modelops.jobs.pod-security)";

        var update = aggregator.next(observe(modelJob, Children.of(modelJob, Optional.empty(), List.of()),
                new Launch.Intended(Optional.of(why)), T0));
        var again = aggregator.next(observe(withStatus(modelJob, update.status()), Children.of(modelJob,
                Optional.empty(), List.of()), new Launch.Intended(Optional.of(why)), T0.plusSeconds(1)));

        assertEquals("train-1", update.status().getJobName());
        assertEquals(List.of(why), update.newEntries().stream().filter(a -> a.reason()
                == ModelJobReason.PodSecurityRelaxed).map(a -> a.entry().getMessage()).toList());
        assertEquals(EventType.Warning, ModelJobReason.PodSecurityRelaxed.type());
        assertTrue(again.newEntries().stream().noneMatch(a -> a.reason() == ModelJobReason.PodSecurityRelaxed),
                "said once");
    }

    @Test
    void aJobThatCouldNotBeCreatedForNowWaitsWithTheReasonAndIsTriedAgain() {
        ModelJob modelJob = modelJob("train-1", JobType.Train);
        var held = new Launch.Held(StartReason.JobNotCreated, ModelJobReason.JobNotCreated,
                "the API server did not create Job train-1 (HTTP 403): exceeded quota");

        var update = aggregator.next(observe(modelJob, Children.of(modelJob, Optional.empty(), List.of()), held, T0));

        assertEquals(JobPhase.Pending, update.status().getPhase());
        assertEquals("JobNotCreated", condition(update.status(), "Started").getReason());
        assertNull(update.status().getJobName(), "known not to exist, so it is created on the next try");
        assertTrue(update.newEntries().stream().anyMatch(a -> a.reason() == ModelJobReason.JobNotCreated));
        assertTrue(dev.modelops.lifecycle.JobLifecycle.launchDue(withStatus(modelJob, update.status()), true));
    }

    @Test
    void aTemplateRefusalFailsTheJobWithItsReason() {
        ModelJob modelJob = modelJob("train-1", JobType.Train);
        var refused = new Launch.Refused(FailureReason.PodSecurityExceeded, "spec.template.securityContext.privileged:"
                + " true is beyond the Pod Security level baseline that the operator's setting modelops.jobs.pod-security"
                + " allows");

        var update = aggregator.next(observe(modelJob, Children.of(modelJob, Optional.empty(), List.of()), refused, T0));

        assertEquals("PodSecurityExceeded", failedReason(update.status()));
        assertNull(update.status().getJobName());
    }

    @Test
    void aJobWithNoPodPastTheTimeoutSaysSoWithTheJobControllersReason() {
        ModelJob modelJob = modelJob("train-1", JobType.Train);
        Job job = job(modelJob).build();
        String refusal = "pods \"train-1-x\" is forbidden: violates PodSecurity \"restricted:latest\"";

        var early = aggregator.next(new Observation(modelJob, Optional.of(ModelJobs.version("churn-v3")),
                Children.of(modelJob, Optional.of(job), List.of()), Launch.none(), Optional.empty(),
                Optional.empty(), T0.plusSeconds(10), POD_TIMEOUT));
        var late = aggregator.next(new Observation(modelJob, Optional.of(ModelJobs.version("churn-v3")),
                Children.of(modelJob, Optional.of(job), List.of()), Launch.none(), Optional.empty(),
                Optional.of(refusal), T0.plusSeconds(32), POD_TIMEOUT));

        assertEquals("PodPending", condition(early.status(), "Started").getReason());
        assertEquals("PodNotCreated", condition(late.status(), "Started").getReason());
        assertTrue(late.status().getMessage().contains(refusal), late.status().getMessage());
    }

    @Test
    void aPodThatCannotBeScheduledOrPulledSaysWhy() {
        ModelJob modelJob = modelJob("train-1", JobType.Train);
        Job job = job(modelJob).active(1).build();

        var unschedulable = aggregator.next(seen(modelJob, job, List.of(pod("train-1-a", job)
                .unschedulable("0/3 nodes are available: 3 Insufficient nvidia.com/gpu.").build()), T0.plusSeconds(5)));
        var pulling = aggregator.next(seen(modelJob, job, List.of(pod("train-1-a", job).scheduled(3)
                .waiting("ImagePullBackOff", "Back-off pulling image \"x\"").build()), T0.plusSeconds(5)));

        assertEquals("Unschedulable", condition(unschedulable.status(), "Started").getReason());
        assertTrue(unschedulable.status().getMessage().contains("Insufficient nvidia.com/gpu"));
        assertEquals("ImagePullBackOff", condition(pulling.status(), "Started").getReason());
    }

    @Test
    void aStopCancelsTheJobAndPointsAtTheLogsSoFar() {
        ModelJob modelJob = modelJob("train-1", JobType.Train);
        modelJob.getSpec().setStop(true);
        modelJob.getSpec().setReason("wrong dataset");
        Job job = job(modelJob).active(1).build();
        KeptLogs logs = KeptLogs.kept(logsRef("train-1-logs"), Map.of());

        var update = aggregator.next(new Observation(modelJob, Optional.of(ModelJobs.version("churn-v3")),
                Children.of(modelJob, Optional.of(job), List.of(pod("train-1-a", job).running(5).build())),
                Launch.none(), Optional.of(logs), Optional.empty(), T0.plusSeconds(9), POD_TIMEOUT));

        assertEquals(JobPhase.Cancelled, update.status().getPhase());
        assertEquals("StopRequested", condition(update.status(), "Cancelled").getReason());
        assertEquals("train-1-logs", update.status().getLogs().getConfigMap());
    }

    @Test
    void aPodEndedByTheStopIsNotToldAsAFailureEvenWhenSeenAfterItEnded() {
        ModelJob modelJob = modelJob("train-1", JobType.Train);
        modelJob.getSpec().setStop(true);
        modelJob.getSpec().setReason("wrong dataset");
        Job job = job(modelJob).suspended().build();
        Pod earlier = pod("train-1-a", job).scheduled(1).failed(1, "Error", 2, 4).build();
        Pod killed = pod("train-1-b", job).scheduled(5).failed(143, "Error", 6, 9).build();
        KeptLogs logs = KeptLogs.kept(logsRef("train-1-logs"), Map.of());

        var update = aggregator.next(new Observation(modelJob, Optional.of(ModelJobs.version("churn-v3")),
                Children.of(modelJob, Optional.of(job), List.of(earlier, killed)), Launch.none(), Optional.of(logs),
                Optional.empty(), T0.plusSeconds(10), POD_TIMEOUT));

        assertEquals(JobPhase.Cancelled, update.status().getPhase());
        assertEquals(List.of("Pod train-1-a failed with exit code 1 (Error)"), update.status().getTimeline().stream()
                .filter(entry -> entry.getReason().equals("PodFailed")).map(TimelineEntry::getMessage).toList(),
                "the pod that failed by itself is told, the one the stop ended is not");
        assertEquals("Cancelled", update.status().getTimeline().get(update.status().getTimeline().size() - 1)
                .getReason());
    }

    @Test
    void logsThatCouldNotBeKeptNeverKeepTheJobFromEnding() {
        ModelJob modelJob = modelJob("train-1", JobType.Train);
        Job job = job(modelJob).complete(9).build();
        Pod pod = pod("train-1-a", job).succeeded(null, 3, 8).build();
        KeptLogs notKept = KeptLogs.notKept("the API server refused ConfigMap train-1-logs: exceeded quota", false);

        var update = aggregator.next(new Observation(modelJob, Optional.of(ModelJobs.version("churn-v3")),
                Children.of(modelJob, Optional.of(job), List.of(pod)), Launch.none(), Optional.of(notKept),
                Optional.empty(), T0.plusSeconds(10), POD_TIMEOUT));

        assertEquals(JobPhase.Succeeded, update.status().getPhase());
        assertNull(update.status().getLogs());
        assertTrue(update.newEntries().stream().anyMatch(a -> a.reason() == ModelJobReason.LogsNotKept
                && a.entry().getMessage().contains("exceeded quota")));
    }

    @Test
    void aResultThatIsNotJsonFailsTheJob() {
        ModelJob modelJob = modelJob("eval-1", JobType.Evaluate);
        Job job = job(modelJob).complete(9).build();

        var update = aggregator.next(seen(modelJob, job, List.of(pod("eval-1-a", job).succeeded("auc=0.9", 3, 8)
                .build()), T0.plusSeconds(10)));

        assertEquals("InvalidResult", failedReason(update.status()));
    }

    @Test
    void aJobWithoutItsVersionWaitsForIt() {
        ModelJob modelJob = modelJob("eval-1", JobType.Evaluate);

        var update = aggregator.next(new Observation(modelJob, Optional.empty(),
                Children.of(modelJob, Optional.empty(), List.of()), Launch.none(), Optional.empty(), Optional.empty(),
                T0, POD_TIMEOUT));

        assertEquals("ModelVersionNotFound", condition(update.status(), "Started").getReason());
        assertEquals(JobPhase.Pending, update.status().getPhase());
    }

    @Test
    void aJobOfTheSameNameThatAnotherModelJobOwnsIsNotThisOnesJob() {
        ModelJob predecessor = modelJob("train-1", JobType.Train);
        ModelJob modelJob = modelJob("train-1", JobType.Train);
        modelJob.getMetadata().setUid("another-uid");
        Job theirs = job(predecessor).complete(9).build();
        Pod theirPod = pod("train-1-a", theirs).succeeded("{\"metrics\":{\"auc\":0.5}}", 3, 8).build();

        Children children = Children.of(modelJob, Optional.of(theirs), List.of(theirPod));

        assertTrue(children.job().isEmpty());
        assertTrue(children.foreignJob().isPresent());
        assertEquals(List.of(), children.pods());
        var update = aggregator.next(observe(modelJob, children, Launch.none(), T0.plusSeconds(10)));
        assertFalse(update.status().getPhase() == JobPhase.Succeeded, "the predecessor's result is not this job's");
        assertNull(update.status().getResult());
    }

    @Test
    void aFinishedJobWhoseEndedPodsAreNotAllCachedYetIsWaitedFor() {
        ModelJob modelJob = modelJob("train-1", JobType.Train);
        Job job = job(modelJob).complete(20).counts(1, 1).build();
        Pod failed = pod("train-1-a", job).failed(1, "Error", 3, 8).build();
        Pod stillRunning = pod("train-1-b", job).running(10).build();

        assertTrue(Children.of(modelJob, Optional.of(job), List.of(failed, stillRunning)).lagBehind(T0.plusSeconds(21)));
        assertFalse(Children.of(modelJob, Optional.of(job), List.of(failed,
                pod("train-1-b", job).succeeded(null, 10, 19).build())).lagBehind(T0.plusSeconds(21)));
        assertFalse(Children.of(modelJob, Optional.of(job), List.of(failed, stillRunning)).lagBehind(T0.plusSeconds(31)),
                "a pod that never shows up is waited for only so long");
    }

    static Observation seen(ModelJob modelJob, Job job, List<Pod> pods, Instant now) {
        return observe(modelJob, Children.of(modelJob, Optional.ofNullable(job), pods), Launch.none(), now);
    }

    static Observation observe(ModelJob modelJob, Children children, Launch launch, Instant now) {
        return new Observation(modelJob, Optional.of(ModelJobs.version("churn-v3")), children, launch,
                Optional.empty(), Optional.empty(), now, POD_TIMEOUT);
    }

    private static ModelJob withStatus(ModelJob modelJob, ModelJobStatus status) {
        modelJob.setStatus(status);
        return modelJob;
    }

    private static LogsRef logsRef(String name) {
        LogsRef ref = new LogsRef();
        ref.setConfigMap(name);
        ref.setTruncated(false);
        return ref;
    }

    private static List<String> reasons(ModelJobStatus status) {
        return status.getTimeline().stream().map(TimelineEntry::getReason).toList();
    }

    private static dev.modelops.api.v1alpha1.Condition condition(ModelJobStatus status, String type) {
        return Conditions.find(status.getConditions(), type).orElseThrow();
    }

    @Test
    void anAcceptedRequestWhoseVersionIsDeletedFailsRatherThanGoingBackToPending() {
        ModelJob approve = modelJob("approve-1", JobType.Approve);
        approve.getSpec().setReason("looks good");
        ModelJobStatus accepted = new ModelJobStatus();
        accepted.setPhase(JobPhase.Running);
        accepted.setStartTime(Fixtures.at(1));
        approve.setStatus(accepted);

        var update = aggregator.next(new Observation(approve, Optional.empty(), Children.of(approve, Optional.empty(),
                List.of()), Launch.none(), Optional.empty(), Optional.empty(), T0.plusSeconds(5), POD_TIMEOUT));

        assertEquals("ModelVersionDeleted", failedReason(update.status()));
        assertEquals("ModelVersion churn-v3 was deleted before it recorded this Approve; nothing was decided",
                update.status().getMessage());
    }

    @Test
    void theLastLogLinesOfAFailureAreCutBetweenCharactersNeverInOne() {
        String line = "\uD83D\uDE80".repeat(300); // 300 rockets, each two UTF-16 units

        String last = ModelJobStatusAggregator.lastLines((line + "\n").repeat(6));

        assertTrue(last.length() <= 1024, last.length() + " characters");
        assertTrue(last.codePoints().allMatch(c -> c == 0x1F680 || c == '\n'), "no half character");
        assertTrue(last.endsWith(line));
    }

    private static String failedReason(ModelJobStatus status) {
        assertEquals(JobPhase.Failed, status.getPhase());
        return condition(status, "Failed").getReason();
    }
}
