package dev.modelops.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Watches the units of a scenario, as a user with {@code kubectl get -w} would, and counts those finished. */
final class Units<T extends HasMetadata> implements AutoCloseable {

    private final Scenario<T> scenario;
    private final Map<String, T> finished = new ConcurrentHashMap<>();
    private final SharedIndexInformer<T> informer;
    private final KubernetesClient client;

    Units(KubernetesClient client, Scenario<T> scenario) {
        this.scenario = scenario;
        this.client = client;
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
                throw new IllegalStateException(finished.size() + " of " + count + " units finished within " + timeout
                        + unseen());
            }
            Thread.sleep(5);
        }
    }

    /** Units finished in the API that the watch has not shown finished: a watch that lost events. */
    private String unseen() {
        List<T> stored = client.resources(scenario.unitType()).inAnyNamespace().list().getItems();
        List<String> unseen = stored.stream().filter(scenario::finished)
                .filter(unit -> !finished.containsKey(unit.getMetadata().getName()))
                .map(unit -> unit.getMetadata().getName() + " (stored resourceVersion "
                        + unit.getMetadata().getResourceVersion() + ", watched "
                        + Optional.ofNullable(informer.getStore().get(unit)).map(u -> u.getMetadata().getResourceVersion())
                                .orElse("never") + ")")
                .toList();
        List<String> unfinished = stored.stream().filter(unit -> !scenario.finished(unit)).limit(3)
                .map(this::describe).toList();
        return (unseen.isEmpty() ? "" : "; finished in the API but not as watched: " + unseen.size() + ", such as "
                + unseen.subList(0, Math.min(3, unseen.size())))
                + (unfinished.isEmpty() ? "" : "; not finished in the API, such as " + unfinished);
    }

    /** A unit and what was launched for it, as stored. */
    private String describe(T unit) {
        String name = unit.getMetadata().getName();
        List<String> launched = client.resources(scenario.launchedType()).inAnyNamespace().list().getItems().stream()
                .filter(object -> name.equals(scenario.unitOf(object))).map(Serialization::asJson).toList();
        List<String> pods = client.pods().inAnyNamespace().list().getItems().stream()
                .filter(pod -> pod.getMetadata().getName().startsWith(name + "-"))
                .map(pod -> pod.getMetadata().getName() + " " + Serialization.asJson(pod.getStatus())).toList();
        return Serialization.asJson(unit) + " launched " + launched + " pods " + pods;
    }

    double meanTimelineEntries() {
        return scenario.meanTimelineEntries(client, finished.values());
    }

    @Override
    public void close() {
        informer.stop();
    }
}
