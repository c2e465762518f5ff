package dev.modelops.sandbox.admission;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fields of a built-in object that its kind does not declare, found as the API server's strict decoding finds
 * them ({@code staging/src/k8s.io/apimachinery/pkg/runtime/serializer/json/json.go}, {@code strict decoding error:
 * unknown field "spec.foo"}): by the properties of fabric8's model class of the kind, read with Jackson's own bean
 * introspection. Custom resources are the schema's business ({@link CustomResourceValidator} prunes).
 */
public final class UnknownFields {

    private static final ObjectMapper MAPPER = Serialization.jsonMapper();
    private static final Map<JavaType, Map<String, Optional<JavaType>>> PROPERTIES = new ConcurrentHashMap<>();
    private static final Set<Class<?>> OPAQUE = Set.of(IntOrString.class, Quantity.class, Object.class,
            JsonNode.class, String.class);

    private static final Map<String, Class<? extends HasMetadata>> MODELS = Map.ofEntries(
            Map.entry("v1/Pod", io.fabric8.kubernetes.api.model.Pod.class),
            Map.entry("v1/ConfigMap", io.fabric8.kubernetes.api.model.ConfigMap.class),
            Map.entry("v1/Secret", io.fabric8.kubernetes.api.model.Secret.class),
            Map.entry("v1/Namespace", io.fabric8.kubernetes.api.model.Namespace.class),
            Map.entry("v1/Service", io.fabric8.kubernetes.api.model.Service.class),
            Map.entry("v1/ServiceAccount", io.fabric8.kubernetes.api.model.ServiceAccount.class),
            Map.entry("v1/Event", io.fabric8.kubernetes.api.model.Event.class),
            Map.entry("batch/v1/Job", io.fabric8.kubernetes.api.model.batch.v1.Job.class),
            Map.entry("batch/v1/CronJob", io.fabric8.kubernetes.api.model.batch.v1.CronJob.class),
            Map.entry("apps/v1/Deployment", io.fabric8.kubernetes.api.model.apps.Deployment.class),
            Map.entry("apps/v1/ReplicaSet", io.fabric8.kubernetes.api.model.apps.ReplicaSet.class),
            Map.entry("coordination.k8s.io/v1/Lease", io.fabric8.kubernetes.api.model.coordination.v1.Lease.class));

    private UnknownFields() {
    }

    /** The model class of a built-in apiVersion and kind the sandbox serves. */
    public static Optional<Class<? extends HasMetadata>> modelOf(String apiVersion, String kind) {
        return Optional.ofNullable(MODELS.get(apiVersion + "/" + kind));
    }

    /** The paths of the object's unknown fields, such as {@code spec.template.spec.containers[0].foo}. */
    public static List<String> of(JsonNode object, Class<?> model) {
        List<String> unknown = new ArrayList<>();
        walk(object, MAPPER.constructType(model), "", unknown);
        return unknown;
    }

    /** Removes the fields at the given paths (as {@link #of} names them) from the object. */
    public static void remove(JsonNode object, List<String> paths) {
        for (String path : paths) {
            JsonNode node = object;
            String[] steps = path.split("\\.");
            for (int i = 0; i < steps.length - 1 && node != null; i++) {
                node = step(node, steps[i]);
            }
            if (node instanceof ObjectNode parent) {
                parent.remove(steps[steps.length - 1]);
            }
        }
    }

    private static JsonNode step(JsonNode node, String step) {
        int bracket = step.indexOf('[');
        if (bracket < 0) {
            return node.get(step);
        }
        JsonNode list = node.get(step.substring(0, bracket));
        String index = step.substring(bracket + 1, step.length() - 1);
        return list == null ? null : list.isArray() ? list.get(Integer.parseInt(index)) : list.get(index);
    }

    /** A model class's JSON properties, each with its type when it is read (introspected once per class). */
    private static Map<String, Optional<JavaType>> properties(JavaType type) {
        BeanDescription bean = MAPPER.getDeserializationConfig().introspect(type);
        Map<String, Optional<JavaType>> properties = new HashMap<>();
        for (BeanPropertyDefinition property : bean.findProperties()) {
            properties.put(property.getName(), property.hasSetter() || property.hasField()
                    ? Optional.of(property.getPrimaryType()) : Optional.empty());
        }
        return properties;
    }

    private static void walk(JsonNode node, JavaType type, String path, List<String> unknown) {
        if (node == null || node.isNull() || OPAQUE.contains(type.getRawClass())) {
            return;
        }
        if (type.isCollectionLikeType() || type.isArrayType()) {
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    walk(node.get(i), type.getContentType(), path + "[" + i + "]", unknown);
                }
            }
            return;
        }
        if (type.isMapLikeType()) {
            if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    walk(field.getValue(), type.getContentType(), path + "[" + field.getKey() + "]", unknown);
                }
            }
            return;
        }
        if (!node.isObject() || !type.getRawClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        Map<String, Optional<JavaType>> properties = PROPERTIES.computeIfAbsent(type, UnknownFields::properties);
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            Optional<JavaType> property = properties.get(field.getKey());
            if (property == null) {
                unknown.add(fieldPath);
            } else if (property.isPresent()) {
                walk(field.getValue(), property.get(), fieldPath, unknown);
            }
        }
    }
}
