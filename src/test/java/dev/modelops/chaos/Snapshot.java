package dev.modelops.chaos;

import dev.modelops.api.v1alpha1.BatchPrediction;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The run's namespace at one moment, by name: what the workloads react to while the run goes (from the harness's
 * watches: ModelJobs, ModelVersions, BatchPredictions) and what the checks read at the end (everything, listed).
 */
record Snapshot(Map<String, ModelJob> modelJobs, Map<String, ModelVersion> versions,
        Map<String, BatchPrediction> predictions, Map<String, ConfigMap> configMaps, Map<String, Job> jobs,
        List<Event> events) {

    static Snapshot watched(Collection<ModelJob> modelJobs, Collection<ModelVersion> versions,
            Collection<BatchPrediction> predictions) {
        return new Snapshot(byName(modelJobs), byName(versions), byName(predictions), Map.of(), Map.of(), List.of());
    }

    /** Everything the checks read, listed from the API server (through its faults). */
    static Snapshot read(HarnessApi api) {
        var client = api.client();
        return new Snapshot(
                byName(api.call("list modeljobs", () -> client.resources(ModelJob.class).list().getItems())),
                byName(api.call("list modelversions", () -> client.resources(ModelVersion.class).list().getItems())),
                byName(api.call("list batchpredictions",
                        () -> client.resources(BatchPrediction.class).list().getItems())),
                byName(api.call("list configmaps", () -> client.configMaps().list().getItems())),
                byName(api.call("list jobs", () -> client.batch().v1().jobs().list().getItems())),
                api.call("list events", () -> client.v1().events().list().getItems()));
    }

    Optional<ModelJob> modelJob(String name) {
        return Optional.ofNullable(modelJobs.get(name));
    }

    Optional<ModelVersion> version(String name) {
        return Optional.ofNullable(versions.get(name));
    }

    Optional<BatchPrediction> prediction(String name) {
        return Optional.ofNullable(predictions.get(name));
    }

    Optional<ConfigMap> configMap(String name) {
        return Optional.ofNullable(configMaps.get(name));
    }

    /** The Events about this object (by uid), of any reason. */
    List<Event> eventsAbout(HasMetadata object) {
        String uid = object.getMetadata().getUid();
        return events.stream().filter(event -> event.getInvolvedObject() != null
                && uid.equals(event.getInvolvedObject().getUid())).toList();
    }

    /** The ModelVersions, BatchPredictions and ModelJobs as YAML, for a look at what the checks found. */
    void write(Path file) throws IOException {
        StringBuilder yaml = new StringBuilder();
        for (Map<String, ? extends HasMetadata> kind : List.of(versions, predictions, modelJobs)) {
            kind.values().stream().sorted(Comparator.comparing(o -> o.getMetadata().getName()))
                    .forEach(object -> yaml.append(Serialization.asYaml(object)));
        }
        Files.writeString(file, yaml);
    }

    private static <T extends HasMetadata> Map<String, T> byName(Collection<T> objects) {
        return objects.stream().collect(Collectors.toMap(o -> o.getMetadata().getName(), Function.identity(),
                (a, b) -> a));
    }
}
