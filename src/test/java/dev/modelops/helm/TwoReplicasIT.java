package dev.modelops.helm;

import dev.modelops.api.v1alpha1.ContainerTemplate;
import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelJobSpec;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.Stage;
import dev.modelops.sandbox.runtime.SandboxClock;
import dev.modelops.sandbox.runtime.SimulatedCluster;
import dev.modelops.sandbox.server.ApiRequestCounts;
import dev.modelops.sandbox.server.EmbeddedApiServer;
import dev.modelops.testing.ContainerJvm;
import dev.modelops.testing.OperatorProcess;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static dev.modelops.helm.ChartTest.FULLNAME;
import static dev.modelops.helm.HelmChart.find;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chart's {@code replicaCount: 2} as a cluster runs it: two packaged operators, each configured only by the
 * environment the rendered Deployment gives its container (the pod's name and namespace filled in as the kubelet
 * does), against one embedded API server and simulated runtime. Both become Ready (a rollout completes), one holds
 * the Lease and reconciles, and when it is killed (SIGKILL, as a node failure) the other takes over with the chart's
 * lease durations and finishes the work with one Job per ModelJob. Runs after {@code package}.
 */
class TwoReplicasIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final String TEAM = "team-a";
    private static final String VERSION = "churn-v3";
    /** The chart's defaults (JOSDK's): a 15 s lease, tried every 2 s; fabric8 waits 1 to 2.2 retry periods. */
    private static final Duration LEASE = Duration.ofSeconds(15);
    private static final Duration LATEST_TRY = Duration.ofMillis(4400);
    /** Two cores shared with the rest of the build. */
    private static final Duration SLACK = Duration.ofSeconds(3);

    private EmbeddedApiServer server;
    private SimulatedCluster cluster;
    private KubernetesClient admin;
    private Watch jobWatch;
    private final Map<String, AtomicInteger> jobsAdded = new ConcurrentHashMap<>();
    private final List<Replica> replicas = new ArrayList<>();

    @BeforeEach
    void startCluster() {
        server = EmbeddedApiServer.start(0);
        cluster = SimulatedCluster.start(server, SandboxClock.system());
        admin = server.client();
        for (String namespace : List.of(HelmChart.NAMESPACE, TEAM)) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                    .build()).create();
        }
        admin.resource(version()).inNamespace(TEAM).create();
        jobWatch = admin.batch().v1().jobs().inNamespace(TEAM).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Job job) {
                if (action == Action.ADDED) {
                    jobsAdded.computeIfAbsent(job.getMetadata().getName(), name -> new AtomicInteger()).incrementAndGet();
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Replica replica : replicas) {
            replica.process.close();
        }
        jobWatch.close();
        cluster.close();
        server.close();
    }

    @Test
    void oneReplicaLeadsAndTheOtherTakesOverWhenItIsKilled() throws Exception {
        Deployment deployment = find(HelmChart.render(Map.of("replicaCount", 2)), Deployment.class, FULLNAME);
        assertEquals(2, deployment.getSpec().getReplicas());
        Replica a = start(deployment, FULLNAME + "-5c9d8f7b6-x2k4q");
        Replica b = start(deployment, FULLNAME + "-5c9d8f7b6-r7mzt");
        a.process.awaitReady(Duration.ofMinutes(2));
        b.process.awaitReady(Duration.ofMinutes(2));

        String leaderName = awaitHolder(name -> name.equals(a.pod) || name.equals(b.pod));
        Replica leader = leaderName.equals(a.pod) ? a : b;
        Replica standby = leader == a ? b : a;
        await().atMost(Duration.ofMinutes(1)).until(() -> stage() == Stage.AwaitingApproval);
        long versionSteps = requests(leader).count("create", "jobs");
        assertEquals(2, versionSteps, "the version's Train and Evaluate, launched by the leader");

        List<String> first = createModelJobs("first", 4, "100ms");
        awaitSucceeded(first);
        assertEquals(versionSteps + first.size(), requests(leader).count("create", "jobs"));
        ApiRequestCounts standbyBefore = requests(standby);
        assertEquals(0, standbyBefore.count("create", "jobs"), "the standby launched no Job");
        assertEquals(0, standbyBefore.count("patch", "modeljobs/status"), "the standby wrote no status");
        assertEquals(0, standbyBefore.count("create", "configmaps"), "the standby kept no logs");

        List<String> running = createModelJobs("running", 4, "20s");
        awaitPhase(running, JobPhase.Running);
        Instant lastRenewal = lease().getSpec().getRenewTime().toInstant();
        leader.process.kill();
        Instant killed = Instant.now();
        List<String> leaderless = createModelJobs("leaderless", 4, "100ms");

        awaitHolder(standby.pod::equals);
        Instant acquired = Instant.now();
        Duration sinceKill = Duration.between(killed, acquired);
        Duration sinceRenewal = Duration.between(lastRenewal, acquired);
        System.out.printf("two replicas: %s killed; %s held the Lease %d ms after the kill, %d ms after the last "
                + "renewal (the chart's defaults: lease %d s, retry 2 s)%n", leader.pod, standby.pod,
                sinceKill.toMillis(), sinceRenewal.toMillis(), LEASE.toSeconds());
        assertTrue(sinceRenewal.compareTo(LEASE) >= 0, "the standby waited for the Lease to expire: " + sinceRenewal);
        assertTrue(sinceKill.compareTo(LEASE.plus(LATEST_TRY).plus(SLACK)) <= 0,
                "hand-over within the lease duration and one try, took " + sinceKill);

        awaitSucceeded(running);
        awaitSucceeded(leaderless);
        assertEquals(leaderless.size(), requests(standby).count("create", "jobs"),
                "the new leader launched the Jobs created while nobody led, and no other");
        for (String name : concat(first, running, leaderless)) {
            assertEquals(1, jobsAdded.getOrDefault(name, new AtomicInteger()).get(), "Jobs created for " + name);
        }
        assertEquals(versionSteps + first.size() + running.size() + leaderless.size(),
                admin.batch().v1().jobs().inNamespace(TEAM).list().getItems().size(), "no other Job");
    }

    /** One pod of the Deployment: its container's environment as the kubelet resolves it for that pod. */
    private Replica start(Deployment deployment, String pod) throws Exception {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("HOSTNAME", pod);
        for (EnvVar variable : deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
            environment.put(variable.getName(), variable.getValueFrom() == null ? variable.getValue()
                    : podField(variable.getValueFrom().getFieldRef().getFieldPath(), pod));
        }
        assertEquals("true", environment.get("MODELOPS_LEADER_ELECTION_ENABLED"));
        OperatorProcess process = OperatorProcess.startReplica(JAR,
                ContainerJvm.options(ContainerJvm.DOCKERFILE, ContainerJvm.CHART_VALUES), server.url(), environment,
                Path.of("target", "two-replicas", pod + ".log"));
        Replica replica = new Replica(pod, process);
        replicas.add(replica);
        return replica;
    }

    private static String podField(String path, String pod) {
        return switch (path) {
            case "metadata.name" -> pod;
            case "metadata.namespace" -> HelmChart.NAMESPACE;
            default -> throw new AssertionError("the chart reads a pod field this test does not fill in: " + path);
        };
    }

    /** A replica's requests: its client names it in its User-Agent. */
    private ApiRequestCounts requests(Replica replica) {
        return server.requests().snapshotOfUserAgentsWith("(" + replica.pod + ")");
    }

    private Stage stage() {
        ModelVersion version = admin.resources(ModelVersion.class).inNamespace(TEAM).withName(VERSION).get();
        return version.getStatus() == null ? null : version.getStatus().getStage();
    }

    private Lease lease() {
        return admin.resources(Lease.class).inNamespace(HelmChart.NAMESPACE).withName(FULLNAME).get();
    }

    private String awaitHolder(Predicate<String> holder) {
        return await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> Optional.ofNullable(lease()).map(lease -> lease.getSpec().getHolderIdentity()).orElse(""),
                        holder);
    }

    private List<String> createModelJobs(String prefix, int count, String duration) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> {
            ModelJob modelJob = new ModelJob();
            modelJob.getMetadata().setName(VERSION + "-" + prefix + "-" + i);
            modelJob.setSpec(new ModelJobSpec());
            modelJob.getSpec().setType(JobType.Evaluate);
            modelJob.getSpec().setModelVersion(VERSION);
            ContainerTemplate template = new ContainerTemplate();
            template.setPodAnnotations(Map.of("sandbox.modelops.dev/duration", duration,
                    "sandbox.modelops.dev/termination-message", "{\"metrics\":{\"auc\":0.91}}"));
            modelJob.getSpec().setTemplate(template);
            return admin.resource(modelJob).inNamespace(TEAM).create().getMetadata().getName();
        }).toList();
    }

    private void awaitSucceeded(List<String> names) {
        awaitPhase(names, JobPhase.Succeeded);
    }

    private void awaitPhase(List<String> names, JobPhase phase) {
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> names.forEach(name -> {
            ModelJob modelJob = admin.resources(ModelJob.class).inNamespace(TEAM).withName(name).get();
            assertTrue(modelJob.getStatus() != null && modelJob.getStatus().getPhase() == phase,
                    name + " is " + phase);
        }));
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }

    /** A version whose own walk (Train, Evaluate) ends waiting for a manual approval, before the test's jobs. */
    private static ModelVersion version() {
        return Serialization.unmarshal("""
                apiVersion: modelops.dev/v1alpha1
                kind: ModelVersion
                metadata: {name: %s}
                spec:
                  model: churn
                  version: "3"
                  source:
                    train:
                      image: ghcr.io/acme/churn-train:1.4.0
                      podAnnotations:
                        sandbox.modelops.dev/duration: 100ms
                        sandbox.modelops.dev/termination-message: '{"artifactUri":"s3://models/churn/3/model.onnx"}'
                  evaluate:
                    image: ghcr.io/acme/churn-eval:1.4.0
                    podAnnotations:
                      sandbox.modelops.dev/duration: 100ms
                      sandbox.modelops.dev/termination-message: '{"metrics":{"auc":0.91}}'
                  approval: {mode: Manual}
                """.formatted(VERSION), ModelVersion.class);
    }

    private record Replica(String pod, OperatorProcess process) {
    }
}
