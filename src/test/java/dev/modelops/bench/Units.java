package dev.modelops.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Watches the units of a scenario, as a user with {@code kubectl get -w} would, and counts those finished. */
final class Units<T extends HasMetadata> implements AutoCloseable {

    private final Scenario<T> scenario;
    private final Map<String, T> finished = new ConcurrentHashMap<>();
    private final SharedIndexInformer<T> informer;

    Units(KubernetesClient client, Scenario<T> scenario) {
        this.scenario = scenario;
        this.informer = client.resources(scenario.unitType()).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(T unit) {
                seen(unit);
            }

            @Override
            public void onUpdate(T before, T unit) {
                seen(unit);
            }

            @Override
            public void onDelete(T unit, boolean unknownFinalState) {
            }
        }, 0);
    }

    private void seen(T unit) {
        if (scenario.finished(unit)) {
            finished.put(unit.getMetadata().getName(), unit);
        }
    }

    void awaitFinished(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (finished.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(finished.size() + " of " + count + " units finished within " + timeout);
            }
            Thread.sleep(5);
        }
    }

    double meanTimelineEntries() {
        return finished.values().stream().mapToInt(scenario::timelineEntries).average().orElse(0);
    }

    @Override
    public void close() {
        informer.stop();
    }
}
