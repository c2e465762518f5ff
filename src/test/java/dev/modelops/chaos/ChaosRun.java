package dev.modelops.chaos;

import dev.modelops.api.v1alpha1.BatchPrediction;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.lifecycle.JobLifecycle;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One chaos run: the cluster and the operator started, the work given (ModelJobs in waves, versions walking,
 * BatchPredictions firing, bad input), the operator killed with SIGKILL and started again at points drawn from the
 * seed, the API server restarted with its data kept, faults injected; then, once the work has settled (or the time
 * for it has passed) with the operator running, what a user would find is checked.
 */
final class ChaosRun {

    private static final Duration TICK = Duration.ofMillis(300);

    private final ChaosSettings settings;
    private final PrintStream out;

    ChaosRun(ChaosSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    ChaosReport run() throws Exception {
        long started = System.nanoTime();
        SplittableRandom random = new SplittableRandom(settings.seed());
        SplittableRandom killPoints = random.split();
        JobsWorkload jobs = new JobsWorkload(random.split(), settings.jobs(), settings.kills() + 1);
        VersionsWorkload versions = new VersionsWorkload(random.split(), settings.models());
        PredictionsWorkload predictions = new PredictionsWorkload(versions.models());
        BadInputs badInputs = new BadInputs(Math.max(1, settings.jobs() / 250));
        AdmissionCorpus admission = new AdmissionCorpus();
        List<Workload> workloads = List.of(versions, predictions, jobs, badInputs, admission);
        // The API server's restarts, spread over the operator's lives: how many in each, by the kill that ends it.
        int[] apiRestartsBefore = new int[settings.kills() + 1];
        for (int i = 0; i < settings.apiRestarts(); i++) {
            apiRestartsBefore[1 + i * settings.kills() / settings.apiRestarts()]++;
        }
        progress("seed %d: %d jobs, %d models (%d versions), %d bad inputs, %d admission manifests, %d kills, %d API"
                + " server restarts", settings.seed(), jobs.count(), settings.models(), settings.models() * 4,
                badInputs.count(), admission.manifests(), settings.kills(), settings.apiRestarts());

        try (ChaosCluster cluster = ChaosCluster.start();
                Launches launches = new Launches(cluster.client());
                Watched watched = new Watched(cluster);
                KilledOperator operator = new KilledOperator(settings, cluster.url())) {
            HarnessApi api = new HarnessApi(cluster.client());
            progress("fault plan: %s", cluster.injectFaults(settings.seed(), settings.faultShare()));
            operator.start();
            progress("operator ready in %.1f s", operator.awaitReady().toMillis() / 1000.0);
            for (Workload workload : workloads) {
                workload.start(api);
            }
            ScheduledExecutorService driver = Executors.newSingleThreadScheduledExecutor();
            driver.scheduleWithFixedDelay(() -> drive(workloads, watched, api), 0, TICK.toMillis(),
                    TimeUnit.MILLISECONDS);
            try {
                for (int kill = 1; kill <= settings.kills(); ) {
                    boolean early = killPoints.nextInt(4) == 0;
                    if (!early) {
                        operator.awaitReady();
                    }
                    long uptime = early ? killPoints.nextLong(300, 2500) : killPoints.nextLong(300, 5000);
                    long slept = 0;
                    for (int restart = 1; restart <= apiRestartsBefore[kill]; restart++) {
                        long at = uptime * restart / (apiRestartsBefore[kill] + 1);
                        Thread.sleep(at - slept);
                        slept = at;
                        cluster.restartApiServer();
                        progress("API server restarted with its data kept");
                    }
                    apiRestartsBefore[kill] = 0;
                    Thread.sleep(uptime - slept);
                    if (!operator.kill()) {
                        progress("the operator had exited by itself (see its log); started again");
                        continue;
                    }
                    progress("kill %d/%d (SIGKILL) after %d ms%s", kill, settings.kills(), uptime,
                            early ? " from its start" : " of being ready");
                    for (Workload workload : workloads) {
                        workload.afterKill(kill, api);
                    }
                    Thread.sleep(killPoints.nextLong(0, 1500));
                    operator.start();
                    kill++;
                }
                progress("operator ready in %.1f s after the last kill; waiting for the work to settle",
                        operator.awaitReady().toMillis() / 1000.0);
                long deadline = System.nanoTime() + settings.settle().toNanos();
                while (!settled(workloads, watched) && System.nanoTime() < deadline) {
                    Thread.sleep(500);
                }
            } finally {
                driver.shutdownNow();
                driver.awaitTermination(30, TimeUnit.SECONDS);
            }
            progress("settled: %s; checking", settled(workloads, watched));
            Snapshot end = Snapshot.read(api);
            end.write(settings.output().resolve("end.yaml"));
            Defects defects = new Defects();
            for (Workload workload : workloads) {
                workload.check(end, launches, defects);
            }
            sweep(end, launches, badInputs.pendingForever(), defects);
            eventsOfEndings(end);
            podsStartedTwice(end, launches);
            if (!operator.alive()) {
                defects.lost("operator", "the operator process ended by itself");
            }
            return new ChaosReport(settings.seed(), jobs.count(), operator.kills(), operator.exits(),
                    cluster.faults(), cluster.apiRestarts(), defects,
                    admission.manifests() + badInputs.count(), admission.rejected() + badInputs.handled(),
                    Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private void drive(List<Workload> workloads, Watched watched, HarnessApi api) {
        try {
            Snapshot seen = watched.snapshot();
            for (Workload workload : workloads) {
                workload.step(seen, api);
            }
        } catch (RuntimeException e) {
            progress("the harness will try again: %s", e.getMessage());
        }
    }

    private static boolean settled(List<Workload> workloads, Watched watched) {
        Snapshot seen = watched.snapshot();
        return workloads.stream().allMatch(workload -> workload.settled(seen));
    }

    /**
     * What holds for every ModelJob, whoever created it: it has ended unless it waits for what its input lacks, and
     * it got at most one batch Job, whose container started at most once.
     */
    private static void sweep(Snapshot end, Launches launches, Set<String> pendingForever, Defects defects) {
        for (ModelJob job : end.modelJobs().values()) {
            String name = job.getMetadata().getName();
            if (!JobLifecycle.ended(job) && !pendingForever.contains(name) && !defects.about(JobEnd.subject(name))) {
                defects.lost(JobEnd.subject(name), "has not ended: " + (job.getStatus() == null ? "no status"
                        : job.getStatus().getPhase() + ": " + job.getStatus().getMessage()) + JobEnd.story(job));
            }
            JobEnd.duplicates(name, job, launches, defects);
        }
    }

    /**
     * Jobs that may not retry (backoffLimit 0) whose container started twice: the cluster's Job controller made a
     * second pod, as Kubernetes' does when the answer to a pod's create is lost (an API server restart); Kubernetes
     * runs a Job's pods at least once. Not the operator's doing, which created one Job: shown, not counted.
     */
    private void podsStartedTwice(Snapshot end, Launches launches) {
        List<String> twice = end.jobs().values().stream()
                .filter(job -> Integer.valueOf(0).equals(job.getSpec().getBackoffLimit()))
                .filter(job -> launches.startedPodsOf(job.getMetadata().getUid()).size() > 1)
                .map(job -> job.getMetadata().getName() + " " + launches.startedPodsOf(job.getMetadata().getUid()))
                .sorted().toList();
        progress("pods: %d Jobs of backoffLimit 0 had their container started twice by the Job controller%s",
                twice.size(), twice.isEmpty() ? "" : ": " + twice);
    }

    /**
     * Events are a view, not the record (the record is the status): one is lost when the operator is killed between
     * the status write and the Event, or when the Event's create meets a fault. Counted for the README, not a defect.
     */
    private void eventsOfEndings(Snapshot end) {
        List<ModelJob> ended = end.modelJobs().values().stream().filter(JobLifecycle::ended).toList();
        List<String> without = ended.stream().filter(job -> end.eventsAbout(job).stream()
                .noneMatch(event -> job.getStatus().getPhase().name().equals(event.getReason())))
                .map(job -> job.getMetadata().getName()).sorted().toList();
        progress("Events: %d of %d ended ModelJobs have no Event of their end%s", without.size(), ended.size(),
                without.isEmpty() ? "" : ", such as " + without.subList(0, Math.min(5, without.size())));
    }

    void progress(String format, Object... args) {
        out.printf("[chaos] %s %s%n", LocalTime.now().withNano(0), String.format(format, args));
        out.flush();
    }

    /** The harness's watches of the kinds the workloads act on, as a user's {@code kubectl get -w}. */
    private static final class Watched implements AutoCloseable {

        private final SharedIndexInformer<ModelJob> modelJobs;
        private final SharedIndexInformer<ModelVersion> versions;
        private final SharedIndexInformer<BatchPrediction> predictions;

        Watched(ChaosCluster cluster) {
            var client = cluster.client();
            this.modelJobs = client.resources(ModelJob.class).inNamespace(ChaosCluster.NAMESPACE).inform();
            this.versions = client.resources(ModelVersion.class).inNamespace(ChaosCluster.NAMESPACE).inform();
            this.predictions = client.resources(BatchPrediction.class).inNamespace(ChaosCluster.NAMESPACE).inform();
        }

        Snapshot snapshot() {
            return Snapshot.watched(modelJobs.getStore().list(), versions.getStore().list(),
                    predictions.getStore().list());
        }

        @Override
        public void close() {
            modelJobs.stop();
            versions.stop();
            predictions.stop();
        }
    }
}
