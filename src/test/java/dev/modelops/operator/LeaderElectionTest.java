package dev.modelops.operator;

import dev.modelops.api.v1alpha1.ContainerTemplate;
import dev.modelops.api.v1alpha1.DataLocation;
import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelJobSpec;
import dev.modelops.api.v1alpha1.ModelSource;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.ModelVersionSpec;
import dev.modelops.api.v1alpha1.StepTemplate;
import dev.modelops.modeljob.ModelJobReconciler;
import dev.modelops.sandbox.runtime.SandboxClock;
import dev.modelops.sandbox.runtime.SimulatedCluster;
import dev.modelops.sandbox.server.ApiRequestCounts;
import dev.modelops.sandbox.server.EmbeddedApiServer;
import dev.modelops.testing.PlainOperators;
import dev.modelops.testing.TestJobSettings;
import dev.modelops.workload.JobSettings;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two operator instances, each a JOSDK {@link Operator} with the real ModelJob controller and the leader election
 * that production builds ({@link LeaderElection#configuration}), against one embedded API server and simulated
 * runtime: one holds the Lease and reconciles, the other waits, and takes over when the leader stops. The API server
 * counts each instance's requests apart (by User-Agent), which shows who reconciled. Short durations: a 2 s Lease,
 * renewed within 1.5 s, tried every 0.5 s.
 */
class LeaderElectionTest {

    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration RENEW = Duration.ofMillis(1500);
    private static final Duration RETRY = Duration.ofMillis(500);
    /** fabric8 waits 1 to 2.2 retry periods between tries. */
    private static final Duration LATEST_TRY = RETRY.multipliedBy(22).dividedBy(10);
    /** Two cores shared with other builds. */
    private static final Duration SLACK = Duration.ofSeconds(1);
    private static final String LEASE_NAME = "modelops-operator";
    private static final String NAMESPACE = "default";
    private static final String VERSION = "churn-v3";

    private EmbeddedApiServer server;
    private SimulatedCluster cluster;
    private KubernetesClient admin;
    private final List<Instance> instances = new ArrayList<>();

    @BeforeEach
    void startCluster() {
        server = EmbeddedApiServer.start(0);
        cluster = SimulatedCluster.start(server, SandboxClock.system());
        admin = server.client();
        admin.resource(version()).create();
    }

    @AfterEach
    void stopAll() {
        instances.forEach(Instance::stop);
        cluster.close();
        server.close();
    }

    @Test
    void defaultsAreTheChartsLeaseWithJosdksDurationsAndNoExitBySdk() {
        LeaderElectionConfiguration configuration = LeaderElection.configuration(new Settings(null, null,
                LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE), () -> { });
        assertEquals(LEASE_NAME, configuration.getLeaseName());
        assertEquals(Optional.empty(), configuration.getLeaseNamespace(), "the client's namespace, chosen by JOSDK");
        assertEquals(Optional.empty(), configuration.getIdentity(), "the pod's HOSTNAME, chosen by JOSDK");
        assertEquals(Duration.ofSeconds(15), configuration.getLeaseDuration());
        assertEquals(Duration.ofSeconds(10), configuration.getRenewDeadline());
        assertEquals(Duration.ofSeconds(2), configuration.getRetryPeriod());
        assertFalse(configuration.isExitOnStopLeading(), "the producer exits on a lost Lease, not JOSDK");
        assertTrue(configuration.getLeaderCallbacks().isPresent());
    }

    @Test
    void oneInstanceReconcilesAndTheOtherTakesOverWhenTheLeaderStops() {
        Instance a = start("operator-a");
        Instance b = start("operator-b");
        String leaderName = awaitHolder(name -> !name.isEmpty());
        Instance leader = leaderName.equals(a.identity) ? a : b;
        Instance standby = leader == a ? b : a;

        List<String> first = createModelJobs("first", 5);
        awaitSucceeded(first);
        assertEquals(leader.identity, lease().getSpec().getHolderIdentity());
        assertOneJobEach(first);
        assertEquals(first.size(), requests(leader).count("create", "jobs"));
        assertEquals(0, requests(standby).count("create", "jobs"), "the standby launched no Job");
        assertEquals(0, requests(standby).count("patch", "modeljobs/status"), "the standby wrote no status");
        assertEquals(0, requests(standby).count("create", "configmaps"), "the standby kept no logs");
        assertTrue(standby.operator.getRuntimeInfo().isStarted() && standby.operator.getRuntimeInfo()
                        .getRegisteredControllers().stream()
                        .allMatch(controller -> controller.getControllerHealthInfo().unhealthyEventSources().isEmpty()),
                "the standby is ready as the SDK's readiness check sees it, so that a rollout of two replicas completes");

        Instant stopping = Instant.now();
        leader.stop();
        Instant stopped = Instant.now();
        // JOSDK 5.2 does not release the Lease when it stops (releaseOnCancel is off): the standby takes it over once
        // the lease duration has passed since the leader's last renewal, at its next try.
        Instant lastRenewal = lease().getSpec().getRenewTime().toInstant();
        awaitHolder(standby.identity::equals);
        Instant acquired = Instant.now();
        Duration sinceStop = Duration.between(stopped, acquired);
        Duration sinceRenewal = Duration.between(lastRenewal, acquired);
        System.out.printf("leader election hand-over: %s stopped in %d ms; %s held the Lease %d ms after the stop, "
                        + "%d ms after the last renewal (lease %d ms, retry %d ms)%n", leader.identity,
                Duration.between(stopping, stopped).toMillis(), standby.identity, sinceStop.toMillis(),
                sinceRenewal.toMillis(), LEASE.toMillis(), RETRY.toMillis());
        assertTrue(sinceRenewal.compareTo(LEASE) >= 0, "the standby waited for the Lease to expire: " + sinceRenewal);
        assertTrue(sinceStop.compareTo(LEASE.plus(LATEST_TRY).plus(SLACK)) <= 0,
                "hand-over within the lease duration and one try, took " + sinceStop);
        assertEquals(1, leader.leaseLost.get(), "the stopped leader released the Lease once");
        assertEquals(0, standby.leaseLost.get());

        List<String> second = createModelJobs("second", 5);
        awaitSucceeded(second);
        assertOneJobEach(first);
        assertOneJobEach(second);
        assertEquals(second.size(), requests(standby).count("create", "jobs"), "the new leader launched the new Jobs");
        assertEquals(first.size(), requests(leader).count("create", "jobs"), "the old leader launched no more");
        assertEquals(first.size() + second.size(), admin.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems().size());
    }

    @Test
    void aLeaseLeftByACrashedLeaderIsTakenOverOnlyOnceItExpires() {
        ZonedDateTime renewed = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        admin.resource(new LeaseBuilder().withNewMetadata().withName(LEASE_NAME).withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().withHolderIdentity("operator-crashed").withLeaseDurationSeconds((int) LEASE.toSeconds())
                .withAcquireTime(renewed).withRenewTime(renewed).endSpec().build()).create();
        Instance a = start("operator-a");
        Instance b = start("operator-b");
        List<String> waiting = createModelJobs("waiting", 2);

        String leaderName = awaitHolder(name -> name.equals(a.identity) || name.equals(b.identity));
        Duration taken = Duration.between(renewed.toInstant(), Instant.now());
        System.out.printf("leader election after a crash: %s held the Lease %d ms after the crashed leader's last renewal%n",
                leaderName, taken.toMillis());
        assertTrue(taken.compareTo(LEASE) >= 0, "nobody took the Lease before it expired: " + taken);
        awaitSucceeded(waiting);
        assertOneJobEach(waiting);
        Instance leader = leaderName.equals(a.identity) ? a : b;
        Instance standby = leader == a ? b : a;
        assertEquals(waiting.size(), requests(leader).count("create", "jobs"));
        assertEquals(0, requests(standby).count("create", "jobs"));
    }

    /** One operator instance; the one place that builds the ModelJob controller, so that a new constructor is one edit. */
    private Instance start(String identity) {
        KubernetesClient client = server.newClient(identity + "/test");
        AtomicInteger leaseLost = new AtomicInteger();
        JobSettings settings = TestJobSettings.defaults();
        Operator operator = PlainOperators.create(client, settings, overrider -> overrider
                .withLeaderElectionConfiguration(LeaderElection.configuration(
                        new Settings(identity, NAMESPACE, LEASE, RENEW, RETRY), leaseLost::incrementAndGet)));
        operator.register(new ModelJobReconciler(settings, Clock.systemUTC()));
        operator.start();
        Instance instance = new Instance(identity, client, operator, leaseLost);
        instances.add(instance);
        return instance;
    }

    private ApiRequestCounts requests(Instance instance) {
        return server.requests().snapshot(instance.identity);
    }

    private Lease lease() {
        return admin.resources(Lease.class).inNamespace(NAMESPACE).withName(LEASE_NAME).get();
    }

    private String awaitHolder(java.util.function.Predicate<String> holder) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> Optional.ofNullable(lease()).map(lease -> lease.getSpec().getHolderIdentity()).orElse(""),
                        holder::test);
    }

    private List<String> createModelJobs(String prefix, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> {
            ModelJob modelJob = new ModelJob();
            modelJob.getMetadata().setName(VERSION + "-" + prefix + "-" + i);
            modelJob.setSpec(new ModelJobSpec());
            modelJob.getSpec().setType(JobType.Evaluate);
            modelJob.getSpec().setModelVersion(VERSION);
            ContainerTemplate template = new ContainerTemplate();
            template.setPodAnnotations(Map.of("sandbox.modelops.dev/duration", "100ms",
                    "sandbox.modelops.dev/termination-message", "{\"metrics\":{\"auc\":0.91}}"));
            modelJob.getSpec().setTemplate(template);
            return admin.resource(modelJob).create().getMetadata().getName();
        }).toList();
    }

    private void awaitSucceeded(List<String> names) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> names.forEach(name -> {
            ModelJob modelJob = admin.resources(ModelJob.class).inNamespace(NAMESPACE).withName(name).get();
            assertTrue(modelJob.getStatus() != null && modelJob.getStatus().getPhase() == JobPhase.Succeeded,
                    name + " succeeded");
        }));
    }

    /** Each ModelJob has exactly one Job, its own. */
    private void assertOneJobEach(List<String> names) {
        List<Job> jobs = admin.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems();
        for (String name : names) {
            String uid = admin.resources(ModelJob.class).inNamespace(NAMESPACE).withName(name).get().getMetadata().getUid();
            long owned = jobs.stream().filter(job -> job.getMetadata().getOwnerReferences().stream()
                    .anyMatch(owner -> owner.getUid().equals(uid))).count();
            assertEquals(1, owned, "Jobs of " + name);
        }
    }

    private static ModelVersion version() {
        ModelVersion version = new ModelVersion();
        version.getMetadata().setName(VERSION);
        ModelVersionSpec spec = new ModelVersionSpec();
        spec.setModel("churn");
        spec.setVersion("3");
        ModelSource source = new ModelSource();
        StepTemplate train = new StepTemplate();
        train.setImage("ghcr.io/acme/churn-train:1.4.0");
        source.setTrain(train);
        spec.setSource(source);
        StepTemplate evaluate = new StepTemplate();
        evaluate.setImage("ghcr.io/acme/churn-eval:1.4.0");
        DataLocation dataset = new DataLocation();
        dataset.setUri("s3://datasets/churn/holdout.csv");
        evaluate.setDataset(dataset);
        spec.setEvaluate(evaluate);
        version.setSpec(spec);
        return version;
    }

    private static final class Instance {
        final String identity;
        final KubernetesClient client;
        final Operator operator;
        final AtomicInteger leaseLost;
        private boolean stopped;

        Instance(String identity, KubernetesClient client, Operator operator, AtomicInteger leaseLost) {
            this.identity = identity;
            this.client = client;
            this.operator = operator;
            this.leaseLost = leaseLost;
        }

        void stop() {
            if (!stopped) {
                stopped = true;
                operator.stop();
                client.close();
            }
        }
    }

    private record Settings(String identityName, String namespace, Duration leaseDuration, Duration renewDeadline,
            Duration retryPeriod) implements LeaderElectionSettings {
        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public String leaseName() {
            return LEASE_NAME;
        }

        @Override
        public Optional<String> leaseNamespace() {
            return Optional.ofNullable(namespace);
        }

        @Override
        public Optional<String> identity() {
            return Optional.ofNullable(identityName);
        }
    }
}
