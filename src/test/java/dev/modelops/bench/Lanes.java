package dev.modelops.bench;

import dev.modelops.common.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Where a baseline does its work: a few single-thread lanes, one unit's work always in the same lane and so in
 * order, as a controller's work queue keeps one resource's reconciles apart.
 */
final class Lanes implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Lanes.class);

    private final ExecutorService[] lanes;

    Lanes(int count) {
        lanes = new ExecutorService[count];
        for (int i = 0; i < count; i++) {
            lanes[i] = Executors.newSingleThreadExecutor();
        }
    }

    /** Runs the work in the unit's lane; a failure is logged, as a controller logs a failed reconcile. */
    void run(String unit, Runnable work) {
        lanes[Math.floorMod(unit.hashCode(), lanes.length)].execute(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                LOG.warnf("baseline: %s: %s", unit, e.getMessage());
            }
        });
    }

    /** An informer handler that hands each added or updated object on; deletions mean nothing to a baseline. */
    static <T> ResourceEventHandler<T> onAddOrUpdate(Consumer<T> onChange) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                onChange.accept(object);
            }

            @Override
            public void onUpdate(T before, T object) {
                onChange.accept(object);
            }

            @Override
            public void onDelete(T object, boolean unknownFinalState) {
            }
        };
    }

    /** A started informer of the pods of ModelJobs, indexed by their ModelJob's name, handing each change on. */
    static SharedIndexInformer<Pod> podsByModelJob(KubernetesClient client, Consumer<Pod> onChange) {
        SharedIndexInformer<Pod> pods = client.pods().withLabel(Labels.MODEL_JOB).runnableInformer(0);
        pods.addIndexers(Map.of(Labels.MODEL_JOB, pod -> List.of(pod.getMetadata().getLabels().get(Labels.MODEL_JOB))));
        pods.addEventHandler(onAddOrUpdate(onChange));
        pods.start();
        return pods;
    }

    /** Whether the Job has its Complete condition. */
    static boolean complete(Job job) {
        return job.getStatus() != null && job.getStatus().getConditions() != null && job.getStatus().getConditions()
                .stream().anyMatch(c -> "Complete".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    @Override
    public void close() throws InterruptedException {
        for (ExecutorService lane : lanes) {
            lane.shutdownNow();
            lane.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
