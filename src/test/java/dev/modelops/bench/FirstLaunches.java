package dev.modelops.bench;

import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.common.Labels;
import dev.modelops.lifecycle.JobLifecycle;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The launch latency of the first seconds after a start: new ModelJobs at a steady rate from the moment the
 * controller (the operator or the bare client) is Ready, each timed from its create to its Job's ADDED at a watch, as
 * the benchmark's latency stream does, but with no warm-up: the warm-up is what is measured.
 */
final class FirstLaunches {

    static final String HEADER = "  launch_p50_ms launch_p99_ms launch_max_ms";
    /** On the ModelJobs of one measurement: its prefix. */
    private static final String STREAM = "bench.modelops.dev/first-launches";

    private final Latencies latencies;

    private FirstLaunches(Latencies latencies) {
        this.latencies = latencies;
    }

    static FirstLaunches measure(KubernetesClient client, String prefix, int count, int rate) throws Exception {
        ModelJobScenario scenario = new ModelJobScenario();
        Latencies latencies = new Latencies();
        Map<String, Long> created = new ConcurrentHashMap<>();
        // A watch from now, not an informer: the harness need not list the thousands of Jobs already there.
        String now = client.batch().v1().jobs().list(new ListOptionsBuilder().withLimit(1L).build()).getMetadata()
                .getResourceVersion();
        Watch jobs = client.batch().v1().jobs().withLabel(Labels.MODEL_JOB)
                .watch(new ListOptionsBuilder().withResourceVersion(now).build(), new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Job job) {
                        Long at = action == Action.ADDED
                                ? created.remove(job.getMetadata().getLabels().get(Labels.MODEL_JOB)) : null;
                        if (at != null) {
                            latencies.add(at, (System.nanoTime() - at) / 1e6);
                        }
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                    }
                });
        ScheduledExecutorService pacer = Executors.newScheduledThreadPool(4);
        try {
            long period = TimeUnit.SECONDS.toNanos(1) / rate;
            List<Future<?>> creates = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ModelJob unit = scenario.unit(prefix, i);
                unit.getMetadata().setLabels(Map.of(STREAM, prefix));
                creates.add(pacer.schedule(() -> {
                    created.put(unit.getMetadata().getName(), System.nanoTime());
                    client.resource(unit).create();
                }, period * i, TimeUnit.NANOSECONDS));
            }
            for (Future<?> create : creates) {
                create.get();
            }
            latencies.awaitCount(count, "launched");
            return new FirstLaunches(latencies);
        } finally {
            pacer.shutdownNow();
            jobs.close();
        }
    }

    /**
     * Waits until the operator, still running, has ended the ModelJobs of the measurement {@code prefix}, then deletes
     * them with all they made: the next start finds the same N ended jobs and nothing left in flight. (Left running,
     * each start had the previous one's ModelJobs to finish while its own Ready and first launches were timed.)
     */
    static void settle(KubernetesClient client, String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        var stream = client.resources(ModelJob.class).inNamespace("default").withLabel(STREAM, prefix);
        while (!stream.list().getItems().stream().allMatch(JobLifecycle::ended)) {
            pause(deadline, "the ModelJobs of " + prefix + " did not end");
        }
        stream.withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
        while (!stream.list().getItems().isEmpty()) {
            pause(deadline, "the ModelJobs of " + prefix + " were not deleted");
        }
    }

    private static void pause(long deadline, String failure) throws InterruptedException {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(failure);
        }
        Thread.sleep(500);
    }

    String row() {
        return String.format(Locale.ROOT, "  %13.0f %13.0f %13.0f", latencies.percentile(50),
                latencies.percentile(99), latencies.percentile(100));
    }
}
