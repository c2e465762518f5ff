package dev.modelops.sandbox.runtime;

import dev.modelops.api.v1alpha1.BatchPrediction;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.sandbox.server.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The simulated cluster runtime (like KWOK): the Job, CronJob, Deployment and ReplicaSet controllers, the kubelet of
 * one node and the garbage collector, playing against an {@link EmbeddedApiServer} through an ordinary client, as
 * real controllers do. Time comes from a {@link SandboxClock}; a ticker looks at it every {@code tick}.
 */
public final class SimulatedCluster implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SimulatedCluster.class);
    /** How the runtime's requests are told from the operator's at the API server. */
    public static final String USER_AGENT = "modelops-sandbox";

    private final KubernetesClient client;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private final Timers timers = new Timers();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sandbox-ticker");
        t.setDaemon(true);
        return t;
    });
    private final Kubelet kubelet;
    private final JobController jobController;
    private final CronJobController cronJobController;
    private final DeploymentController deploymentController;
    private final ReplicaSetController replicaSetController;
    private final GarbageCollector garbageCollector;
    private final java.util.Set<String> garbageCollected;

    private SimulatedCluster(EmbeddedApiServer server, SandboxClock clock, ContainerRuntime runtime) {
        this.client = server.newClient(USER_AGENT);
        SharedIndexInformer<Pod> pods = inform(client.pods().inAnyNamespace().runnableInformer(0));
        SharedIndexInformer<Job> jobs = inform(client.batch().v1().jobs().inAnyNamespace().runnableInformer(0));
        SharedIndexInformer<CronJob> cronJobs = inform(client.batch().v1().cronjobs().inAnyNamespace().runnableInformer(0));
        SharedIndexInformer<Deployment> deployments = inform(client.apps().deployments().inAnyNamespace()
                .runnableInformer(0));
        SharedIndexInformer<ReplicaSet> replicaSets = inform(client.apps().replicaSets().inAnyNamespace()
                .runnableInformer(0));
        Map<String, SharedIndexInformer<? extends HasMetadata>> owned = new LinkedHashMap<>();
        owned.put("Pod", pods);
        owned.put("Job", jobs);
        owned.put("CronJob", cronJobs);
        owned.put("ConfigMap", inform(client.configMaps().inAnyNamespace().runnableInformer(0)));
        owned.put("Secret", inform(client.secrets().inAnyNamespace().runnableInformer(0)));
        owned.put("Service", inform(client.services().inAnyNamespace().runnableInformer(0)));
        owned.put("Deployment", deployments);
        owned.put("ReplicaSet", replicaSets);
        owned.put("ModelJob", inform(client.resources(ModelJob.class).inAnyNamespace().runnableInformer(0)));
        owned.put("ModelVersion", inform(client.resources(ModelVersion.class).inAnyNamespace().runnableInformer(0)));
        owned.put("BatchPrediction", inform(client.resources(BatchPrediction.class).inAnyNamespace().runnableInformer(0)));
        this.kubelet = new Kubelet(client, pods, runtime, clock, timers);
        this.jobController = new JobController(client, jobs, pods, clock, timers);
        this.cronJobController = new CronJobController(client, cronJobs, jobs, clock, timers);
        this.deploymentController = new DeploymentController(client, deployments, replicaSets, pods, clock, timers);
        this.replicaSetController = new ReplicaSetController(client, replicaSets, pods, clock, timers);
        this.garbageCollector = new GarbageCollector(client, owned);
        this.garbageCollected = java.util.Set.copyOf(owned.keySet());
    }

    /** Starts the runtime with simulated containers and a ticker of 100 ms. */
    public static SimulatedCluster start(EmbeddedApiServer server, SandboxClock clock) {
        return start(server, clock, new SimulatedContainerRuntime(), Duration.ofMillis(100));
    }

    public static SimulatedCluster start(EmbeddedApiServer server, SandboxClock clock, ContainerRuntime runtime,
            Duration tick) {
        SimulatedCluster cluster = new SimulatedCluster(server, clock, runtime);
        cluster.kubelet.start(4);
        cluster.jobController.start(4);
        cluster.cronJobController.start(1);
        cluster.deploymentController.start(2);
        cluster.replicaSetController.start(2);
        cluster.garbageCollector.start();
        CompletableFuture.allOf(cluster.informers.stream().map(SharedIndexInformer::start)
                .map(stage -> stage.toCompletableFuture()).toArray(CompletableFuture[]::new)).join();
        server.podLogs(cluster.kubelet);
        server.runtimeAttached(cluster.garbageCollected);
        cluster.garbageCollector.sweep();
        cluster.ticker.scheduleWithFixedDelay(() -> cluster.tick(clock), tick.toMillis(), tick.toMillis(),
                TimeUnit.MILLISECONDS);
        cluster.ticker.scheduleWithFixedDelay(cluster::sweep, 10, 10, TimeUnit.SECONDS);
        return cluster;
    }

    private void tick(SandboxClock clock) {
        try {
            timers.fireDue(clock.now());
        } catch (RuntimeException e) {
            LOG.warnf("sandbox tick: %s", e.getMessage());
        }
    }

    private void sweep() {
        try {
            garbageCollector.sweep();
        } catch (RuntimeException e) {
            LOG.warnf("sandbox garbage collection sweep: %s", e.getMessage());
        }
    }

    private <T extends HasMetadata> SharedIndexInformer<T> inform(SharedIndexInformer<T> informer) {
        informers.add(informer);
        return informer;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        kubelet.close();
        jobController.close();
        cronJobController.close();
        deploymentController.close();
        replicaSetController.close();
        garbageCollector.close();
        informers.forEach(SharedIndexInformer::stop);
        client.close();
    }
}
