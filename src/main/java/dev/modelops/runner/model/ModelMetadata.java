package dev.modelops.runner.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelops.runner.RunFailure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the runner reads from (and, when it trains, writes to) an ONNX model's metadata_props: the feature vector's
 * layout, the task, the label column and the classes in the order of the probability output. A model from elsewhere
 * may carry none of them; the job's environment then says what they are.
 */
public final class ModelMetadata {

    public static final String FEATURES = "modelops.features";
    public static final String TASK = "modelops.task";
    public static final String LABEL = "modelops.label";
    public static final String CLASSES = "modelops.classes";

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Map<String, String> values;

    public ModelMetadata(Map<String, String> values) {
        this.values = new LinkedHashMap<>(values);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key)).filter(v -> !v.isBlank());
    }

    public Optional<List<Feature>> features() {
        return get(FEATURES).map(json -> read(json, new TypeReference<List<Feature>>() { }));
    }

    public Optional<List<String>> classes() {
        return get(CLASSES).map(json -> read(json, new TypeReference<List<String>>() { }));
    }

    public Map<String, String> asMap() {
        return values;
    }

    /** The metadata a trained model carries. */
    public static Map<String, String> of(List<Feature> features, String task, String label, List<String> classes) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(FEATURES, write(features));
        values.put(TASK, task);
        values.put(LABEL, label);
        if (!classes.isEmpty()) {
            values.put(CLASSES, write(classes));
        }
        return values;
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new RunFailure("the model's metadata is not what the runner wrote: " + e.getOriginalMessage());
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
