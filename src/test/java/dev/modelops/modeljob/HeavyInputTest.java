package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.ApprovalRecord;
import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.Stage;
import dev.modelops.common.Conditions;
import dev.modelops.common.Labels;
import dev.modelops.lifecycle.JobLifecycle;
import dev.modelops.modelversion.ModelVersionReconciler;
import dev.modelops.sandbox.runtime.ContainerExit;
import dev.modelops.sandbox.runtime.ContainerRun;
import dev.modelops.sandbox.runtime.ContainerRuntime;
import dev.modelops.sandbox.runtime.SandboxClock;
import dev.modelops.sandbox.runtime.SimulatedCluster;
import dev.modelops.sandbox.runtime.SimulatedContainerRuntime;
import dev.modelops.sandbox.server.EmbeddedApiServer;
import dev.modelops.sandbox.server.PodLogSource;
import dev.modelops.testing.OperatorRequests;
import dev.modelops.testing.PlainOperators;
import dev.modelops.testing.TestJobSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.javaoperatorsdk.operator.Operator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.modelops.modeljob.ModelJobs.get;
import static dev.modelops.modeljob.ModelJobs.modelJob;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Input that costs the operator: a job that prints 50 MiB of control characters and odd code points per pod, and
 * thousands of ModelJobs on one version. Each ends as documented, and an unrelated ModelJob created meanwhile still
 * runs: how long it took is printed ({@code hostile-input: ...} lines), and held only to a generous bound. The operator
 * is a plain JOSDK one in this JVM, against its own API server and simulated runtime on the system clock.
 */
class HeavyInputTest {

    /** A pod with this annotation prints that many lines of 1 MiB each, at once, besides its simulated behaviour. */
    private static final String FLOOD_MIB = "test.modelops.dev/flood-mib";
    private static final int MIB = 1024 * 1024;
    private static final Duration GENEROUS = Duration.ofSeconds(60);

    private EmbeddedApiServer server;
    private SimulatedCluster cluster;
    private KubernetesClient client;
    private KubernetesClient operatorClient;
    private Operator operator;

    @BeforeEach
    void start() {
        server = EmbeddedApiServer.start(0);
        client = server.newClient("test-user/1");
        cluster = SimulatedCluster.start(server, SandboxClock.system(), new FloodingRuntime(), Duration.ofMillis(20));
        operatorClient = server.newClient("modelops-operator/test");
        TestJobSettings settings = TestJobSettings.defaults();
        operator = PlainOperators.create(operatorClient, settings, overrider -> { });
        operator.register(new ModelJobReconciler(settings, Clock.systemUTC()));
        operator.register(new ModelVersionReconciler(settings, Clock.systemUTC()));
        operator.start();
    }

    @AfterEach
    void stop() {
        operator.stop();
        operatorClient.close();
        cluster.close();
        client.close();
        OperatorRequests.keep(server);
        server.close();
    }

    @Test
    void podsThatPrint50MiBOfBinaryLookingTextKeepTheEndOfTheirLogsWithinAConfigMapsLimit() {
        client.resource(ModelJobs.version("flood-v1")).create();
        Duration baseline = unrelatedJob("flood-before");

        ModelJob flood = modelJob("flood", JobType.Train, "flood-v1").runs("10ms").exits(1).build();
        flood.getSpec().getTemplate().getPodAnnotations().put(FLOOD_MIB, "50");
        flood.getSpec().setBackoffLimit(1);
        Instant created = Instant.now();
        client.resource(flood).create();
        await().atMost(GENEROUS).until(() -> client.pods().withLabel(Labels.JOB_NAME, "flood").list().getItems()
                .stream().filter(pod -> pod.getStatus() != null && "Failed".equals(pod.getStatus().getPhase()))
                .count() == 2);
        Duration whileFlooding = unrelatedJob("flood-meanwhile");
        ModelJob failed = awaitEnded("flood");
        Duration floodTook = Duration.between(created, Instant.now());

        assertEquals("BackoffLimitExceeded", Conditions.find(failed.getStatus().getConditions(), "Failed")
                .orElseThrow().getReason());
        assertTrue(failed.getStatus().getLogs().getTruncated(), "the logs say they were cut");
        ConfigMap logs = client.configMaps().withName(failed.getStatus().getLogs().getConfigMap()).get();
        assertEquals(2, logs.getData().size(), "a tail of each pod's log");
        long kept = 0;
        for (Map.Entry<String, String> log : logs.getData().entrySet()) {
            int bytes = log.getValue().getBytes(StandardCharsets.UTF_8).length;
            assertTrue(bytes <= 256 * 1024 && bytes > 200 * 1024, log.getKey() + ": " + bytes + " bytes");
            assertTrue(log.getValue().endsWith(FloodingRuntime.LAST_LINE), "the end of the log is kept");
            assertTrue(log.getValue().contains("\u0000") && log.getValue().contains("\u202E"),
                    "control characters are kept as written");
            kept += bytes;
        }
        assertTrue(kept <= 1024 * 1024, kept + " bytes in one ConfigMap");
        String message = failed.getStatus().getMessage();
        assertTrue(message.contains(". Last log lines:\n") && message.endsWith(FloodingRuntime.LAST_LINE.strip()),
                message.substring(Math.max(0, message.length() - 200)));
        System.out.printf("hostile-input: case=log-50MiB-x2-pods flood_ms=%d unrelated_ms=%d unrelated_alone_ms=%d"
                + " kept_bytes=%d%n", floodTook.toMillis(), whileFlooding.toMillis(), baseline.toMillis(), kept);
        assertTrue(whileFlooding.compareTo(GENEROUS) < 0, "an unrelated job took " + whileFlooding);
    }

    /**
     * Competing Approve requests to one version: 2,000 by default, which takes about a minute on two busy cores;
     * {@code -Dhostile.requests=10000} runs the 10,000 (four minutes there: the API server's work per request
     * is most of it, see docs/limits.md).
     */
    @Test
    void thousandsOfRequestsToOneVersionRecordOneDecisionAndLeaveItsStatusSmall() throws Exception {
        int requests = Integer.getInteger("hostile.requests", 2_000);
        client.resource(ModelJobs.version("crowded-v1")).create();
        await().atMost(GENEROUS).until(() -> stage("crowded-v1") == Stage.AwaitingApproval);
        Duration baseline = unrelatedJob("quiet-before");
        Set<String> ended = ConcurrentHashMap.newKeySet();
        var watching = client.resources(ModelJob.class).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ModelJob job) {
                onUpdate(job, job);
            }

            @Override
            public void onUpdate(ModelJob old, ModelJob job) {
                if (job.getMetadata().getName().startsWith("crowded-approve-") && JobLifecycle.ended(job)) {
                    ended.add(job.getMetadata().getName());
                }
            }

            @Override
            public void onDelete(ModelJob job, boolean unknown) {
            }
        });

        Instant start = Instant.now();
        ExecutorService creators = Executors.newFixedThreadPool(4);
        List<Future<?>> created = new ArrayList<>();
        List<Integer> order = IntStream.range(0, requests).boxed().collect(Collectors.toCollection(ArrayList::new));
        Collections.shuffle(order, new Random(16));
        for (int i : order) {
            created.add(creators.submit(() -> {
                ModelJob approve = modelJob(String.format("crowded-approve-%05d", i), JobType.Approve, "crowded-v1")
                        .build();
                approve.getSpec().setReason("bulk approval " + i);
                client.resource(approve).create();
            }));
        }
        Duration whileCrowded = unrelatedJob("quiet-meanwhile"); // created while the requests are being created
        for (Future<?> future : created) {
            future.get();
        }
        creators.shutdown();
        Duration allCreated = Duration.between(start, Instant.now());
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1))
                .until(() -> ended.size() == requests);
        Duration allEnded = Duration.between(start, Instant.now());
        watching.close();

        List<ModelJob> approvals = client.resources(ModelJob.class).list().getItems().stream()
                .filter(job -> job.getMetadata().getName().startsWith("crowded-approve-")).toList();
        List<ModelJob> succeeded = approvals.stream().filter(job -> job.getStatus().getPhase() == JobPhase.Succeeded)
                .toList();
        assertEquals(1, succeeded.size(), "one decision is recorded");
        ModelVersion version = client.resources(ModelVersion.class).withName("crowded-v1").get();
        assertEquals(Stage.Approved, version.getStatus().getStage());
        ApprovalRecord approval = version.getStatus().getApproval();
        assertEquals(succeeded.get(0).getMetadata().getName(), approval.getJob());
        Map<String, Long> others = approvals.stream().filter(job -> job.getStatus().getPhase() != JobPhase.Succeeded)
                .collect(Collectors.groupingBy(job -> job.getStatus().getPhase() + "/" + Conditions.find(
                        job.getStatus().getConditions(), "Failed").orElseThrow().getReason(), Collectors.counting()));
        assertTrue(others.keySet().stream().allMatch(key -> key.equals("Failed/Superseded")
                || key.equals("Failed/OutOfOrder")), others.toString());
        int statusBytes = client.getKubernetesSerialization().asJson(version.getStatus())
                .getBytes(StandardCharsets.UTF_8).length;
        assertTrue(statusBytes < 8 * 1024, "the version's status is " + statusBytes + " bytes");
        System.out.printf("hostile-input: case=requests-on-one-version n=%d created_ms=%d all_ended_ms=%d"
                + " unrelated_ms=%d unrelated_alone_ms=%d version_status_bytes=%d outcomes=%s%n", requests,
                allCreated.toMillis(), allEnded.toMillis(), whileCrowded.toMillis(), baseline.toMillis(), statusBytes,
                others);
        assertTrue(whileCrowded.compareTo(GENEROUS) < 0, "an unrelated job took " + whileCrowded);
    }

    /** How long an Evaluate of a version of its own takes from its creation to Succeeded. */
    private Duration unrelatedJob(String name) {
        client.resource(ModelJobs.version(name + "-v")).create();
        Instant created = Instant.now();
        modelJob(name, JobType.Evaluate, name + "-v").runs("10ms").reports("{\"metrics\":{\"auc\":0.5}}")
                .create(client);
        await().atMost(GENEROUS).until(() -> {
            ModelJob job = get(client, name);
            return job != null && job.getStatus() != null && job.getStatus().getPhase() == JobPhase.Succeeded;
        });
        return Duration.between(created, Instant.now());
    }

    private ModelJob awaitEnded(String name) {
        return await().atMost(GENEROUS).until(() -> get(client, name), job -> job != null && JobLifecycle.ended(job));
    }

    private Stage stage(String version) {
        ModelVersion found = client.resources(ModelVersion.class).withName(version).get();
        return found == null || found.getStatus() == null ? null : found.getStatus().getStage();
    }

    /**
     * The simulated runtime, except that a pod annotated {@link #FLOOD_MIB} prints that many lines of 1 MiB of
     * control characters, a byte order mark, a right-to-left override and emoji as it starts, then
     * {@link #LAST_LINE}. The lines are one string, so the flood costs its memory only while a log is served.
     */
    static final class FloodingRuntime implements ContainerRuntime {

        static final String LAST_LINE = "the end \u2705\n";
        private static final String MIB_LINE = mibLine();

        private final SimulatedContainerRuntime simulated = new SimulatedContainerRuntime();

        @Override
        public ContainerRun start(Pod pod, Instant now) {
            ContainerRun run = simulated.start(pod, now);
            String lines = pod.getMetadata().getAnnotations() == null ? null
                    : pod.getMetadata().getAnnotations().get(FLOOD_MIB);
            return lines == null ? run : new Flooding(run, Integer.parseInt(lines), now);
        }

        private static String mibLine() {
            int[] pattern = {0x00, 0x07, 0x1B, 0x7F, 0x85, 0xFEFF, 0x202E, 0xFFFD, 0x1F680, 'A', 0xE9, 0x4E2D, 0x09};
            StringBuilder line = new StringBuilder();
            int bytes = 0;
            for (int i = 0; bytes < MIB - 5; i++) {
                int codePoint = pattern[i % pattern.length];
                line.appendCodePoint(codePoint);
                bytes += new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            }
            return line.append('\n').toString();
        }

        private record Flooding(ContainerRun run, int lines, Instant startedAt) implements ContainerRun {

            @Override
            public List<PodLogSource.Line> logs(Instant now) {
                List<PodLogSource.Line> printed = new ArrayList<>(Collections.nCopies(lines,
                        new PodLogSource.Line(startedAt, MIB_LINE)));
                printed.addAll(run.logs(now));
                printed.add(new PodLogSource.Line(startedAt, LAST_LINE));
                return printed;
            }

            @Override
            public Optional<ContainerExit> exit(Instant now) {
                return run.exit(now);
            }

            @Override
            public void stop(Instant now, Instant killAt) {
                run.stop(now, killAt);
            }

            @Override
            public Optional<Instant> nextChange(Instant now) {
                return run.nextChange(now);
            }
        }
    }
}
