package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.TimelineEntry;
import dev.modelops.testing.OperatorUnderFaultsTest;
import dev.modelops.workload.JobSettings;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.Operator;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.modelops.modeljob.ModelJobs.get;
import static dev.modelops.modeljob.ModelJobs.modelJob;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ModelJobs run to their end while the API server refuses, delays and cuts a tenth of the operator's requests:
 * what a user sees is what they would see without the faults, and each compute ModelJob has had exactly one Job.
 */
class ModelJobsUnderFaultsTest extends OperatorUnderFaultsTest {

    private static final Duration END = Duration.ofSeconds(120);
    private static final List<String> STORY = List.of("Created", "JobCreated", "PodScheduled", "Started", "Succeeded");

    /** Every Job the API server ever stored, by the ModelJob it was made for: a second uid is a second Job. */
    private final Map<String, Set<String>> jobUids = new ConcurrentHashMap<>();
    private Watch jobs;

    @Override
    protected void register(Operator operator, JobSettings settings) {
        operator.register(new ModelJobReconciler(settings, Clock.systemUTC()));
    }

    @BeforeEach
    void watchJobs() {
        client.resource(ModelJobs.version("churn-v3")).create();
        jobs = client.batch().v1().jobs().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Job job) {
                String modelJob = job.getMetadata().getLabels().get("modelops.dev/model-job");
                if (modelJob != null) {
                    jobUids.computeIfAbsent(modelJob, name -> ConcurrentHashMap.newKeySet())
                            .add(job.getMetadata().getUid());
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
    }

    @AfterEach
    void stopWatching() {
        jobs.close();
    }

    @Test
    void computeJobsSucceedWithTheirResultsAndLogsAndOneJobEach() {
        List<JobType> types = List.of(JobType.Train, JobType.Evaluate);
        List<String> names = IntStream.range(0, 24).mapToObj(i -> "faulted-" + i).toList();
        for (int i = 0; i < names.size(); i++) {
            modelJob(names.get(i), types.get(i % types.size()), "churn-v3").runs("300ms")
                    .logs("step " + i + " starts\nstep " + i + " done\n")
                    .reports("{\"metrics\":{\"auc\":0.9" + i + "}}").create(client);
        }

        awaitEnded(names);

        for (int i = 0; i < names.size(); i++) {
            ModelJob done = get(client, names.get(i));
            String name = names.get(i);
            assertEquals(JobPhase.Succeeded, done.getStatus().getPhase(), name + ": " + done.getStatus().getMessage());
            assertEquals(Double.parseDouble("0.9" + i), done.getStatus().getResult().getMetrics().get("auc"), name);
            assertStory(STORY, done);
            String pod = done.getStatus().getPodNames().get(0);
            assertEquals("step " + i + " starts\nstep " + i + " done\n",
                    client.configMaps().withName(done.getStatus().getLogs().getConfigMap()).get().getData()
                            .get(pod + ".log"), name + "'s kept log");
            assertOneJob(done);
        }
        assertTrue(server.faultCounts().total() > 0, "faults were injected: " + server.faultCounts());
    }

    @Test
    void aStopWhileFaultsAreInjectedEndsCancelledWithTheLogsSoFar() {
        List<String> names = IntStream.range(0, 4).mapToObj(i -> "stopped-" + i).toList();
        names.forEach(name -> modelJob(name, JobType.Train, "churn-v3").runs("10m").logs("epoch 1\n").create(client));
        await().atMost(END).until(() -> names.stream().allMatch(name -> get(client, name).getStatus() != null
                && get(client, name).getStatus().getPhase() == JobPhase.Running));

        names.forEach(name -> client.resources(ModelJob.class).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"stop\":true,\"reason\":\"superseded\"}}"));

        awaitEnded(names);
        for (String name : names) {
            ModelJob cancelled = get(client, name);
            assertEquals(JobPhase.Cancelled, cancelled.getStatus().getPhase(), name + ": " + cancelled.getStatus().getMessage());
            assertStory(List.of("Created", "JobCreated", "PodScheduled", "Started", "StopRequested", "Cancelled"),
                    cancelled);
            assertTrue(client.batch().v1().jobs().withName(name).get().getSpec().getSuspend(), name + "'s Job stopped");
            String pod = cancelled.getStatus().getPodNames().get(0);
            assertEquals("epoch 1\n", client.configMaps().withName(name + "-logs").get().getData().get(pod + ".log"));
            assertOneJob(cancelled);
        }
    }

    @Test
    void theApiServerRestartsWhileJobsRunAndEachEndsWithOneJob() {
        List<String> names = IntStream.range(0, 6).mapToObj(i -> "restarted-" + i).toList();
        names.forEach(name -> modelJob(name, JobType.Evaluate, "churn-v3").runs("3s").logs("scoring\n")
                .reports("{\"metrics\":{\"auc\":0.88}}").create(client));
        await().atMost(END).until(() -> jobUids.keySet().containsAll(names));

        server.restartKeepingData();

        awaitEnded(names);
        for (String name : names) {
            ModelJob done = get(client, name);
            assertEquals(JobPhase.Succeeded, done.getStatus().getPhase(), name + ": " + done.getStatus().getMessage());
            // A pod create of the simulated Job controller whose answer the restart lost is made again, as client-go's
            // Job controller does: the ModelJob may tell of a second pod, and of nothing else twice. A Job create that
            // the plan refused (429, 500, 503) is told as JobNotCreated before the JobCreated of the next attempt.
            List<String> story = story(done);
            assertEquals(List.of("Created", "JobCreated"), story.stream()
                    .filter(reason -> !reason.equals("JobNotCreated")).limit(2).toList(), name + ": " + story);
            assertEquals("Succeeded", story.get(story.size() - 1), name + ": " + story);
            assertEquals(1, story.stream().filter(reason -> reason.equals("JobCreated")).count(), name + ": " + story);
            assertOneJob(done);
        }
    }

    private void awaitEnded(List<String> names) {
        try {
            await().atMost(END).until(() -> names.stream().map(name -> get(client, name)).allMatch(job ->
                    job.getStatus() != null && job.getStatus().getCompletionTime() != null));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not ended: " + names.stream().map(name -> get(client, name))
                    .filter(job -> job.getStatus() == null || job.getStatus().getCompletionTime() == null)
                    .map(job -> job.getMetadata().getName() + " " + (job.getStatus() == null ? "no status"
                            : job.getStatus().getPhase() + " " + story(job) + " " + job.getStatus().getMessage()))
                    .collect(Collectors.joining("; ")) + "; faults: " + server.faultCounts(), e);
        }
    }

    private void assertOneJob(ModelJob modelJob) {
        String name = modelJob.getMetadata().getName();
        await().until(() -> jobUids.containsKey(name));
        Job job = client.batch().v1().jobs().withName(name).get();
        assertEquals(Set.of(job.getMetadata().getUid()), jobUids.get(name), name + " had one Job");
        assertEquals(modelJob.getMetadata().getUid(), job.getMetadata().getOwnerReferences().get(0).getUid());
    }

    /**
     * The timeline tells the story it tells without faults, each step once, and may also say that the API server did
     * not create the Job at a first try (JobNotCreated: the operator's client gave up on a request, and the operator
     * tried again); each Event is one of its entries, never counted twice. An Event may be missing: a failure to
     * write one is logged and never fails the reconcile (EventRecorder).
     */
    private void assertStory(List<String> expected, ModelJob modelJob) {
        String name = modelJob.getMetadata().getName();
        List<String> story = story(modelJob);
        assertEquals(expected, story.stream().filter(reason -> !reason.equals("JobNotCreated")).toList(),
                name + ": " + modelJob.getStatus().getTimeline().stream().map(e -> e.getTime() + " " + e.getReason()
                        + " " + e.getMessage()).collect(Collectors.joining("\n")));
        List<Event> events = client.v1().events().withField("involvedObject.name", name)
                .withField("involvedObject.kind", "ModelJob").list().getItems();
        events.forEach(event -> assertTrue(story.contains(event.getReason()) && event.getCount() == 1,
                name + ": Event " + event.getReason() + " x" + event.getCount() + " of " + story));
    }

    private static List<String> story(ModelJob job) {
        return job.getStatus().getTimeline().stream().map(TimelineEntry::getReason).toList();
    }
}
