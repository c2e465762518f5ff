package dev.modelops.sandbox.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Batch;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kubernetes protobuf request bodies read as the JSON the API server would have been sent: the envelope (the magic
 * {@code k8s\0}, then a {@code runtime.Unknown} with the type and the raw object) is opened, and the object is read
 * with the API types that the official Kubernetes Java client publishes as protobuf classes, then written as JSON
 * field by field (the protobuf field names are the JSON names; times, int-or-strings, quantities and raw
 * extensions have their JSON forms). kubectl sends protobuf for the built-in kinds it creates itself ({@code create
 * namespace}, {@code create configmap}, {@code create deployment}, {@code create job --from}, {@code auth can-i},
 * {@code auth whoami}).
 */
final class ProtobufBodies {

    private static final byte[] MAGIC = {'k', '8', 's', 0};
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<String, Parser<? extends Message>> KINDS = Map.ofEntries(
            Map.entry("v1/Namespace", V1.Namespace.parser()),
            Map.entry("v1/ConfigMap", V1.ConfigMap.parser()),
            Map.entry("v1/Secret", V1.Secret.parser()),
            Map.entry("v1/Pod", V1.Pod.parser()),
            Map.entry("v1/Event", V1.Event.parser()),
            Map.entry("batch/v1/Job", V1Batch.Job.parser()),
            Map.entry("batch/v1/CronJob", V1Batch.CronJob.parser()),
            Map.entry("apps/v1/Deployment", V1Apps.Deployment.parser()),
            Map.entry("apps/v1/ReplicaSet", V1Apps.ReplicaSet.parser()),
            Map.entry("authorization.k8s.io/v1/SelfSubjectAccessReview", V1Authorization.SelfSubjectAccessReview.parser()),
            Map.entry("authentication.k8s.io/v1/SelfSubjectReview", V1Authentication.SelfSubjectReview.parser()));

    private ProtobufBodies() {
    }

    /** The body as JSON, or empty when it is no protobuf envelope or holds a kind not read here. */
    static Optional<JsonNode> read(byte[] body) {
        if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
            return Optional.empty();
        }
        try {
            Runtime.Unknown unknown = Runtime.Unknown.parseFrom(Arrays.copyOfRange(body, MAGIC.length, body.length));
            String apiVersion = unknown.getTypeMeta().getApiVersion();
            String kind = unknown.getTypeMeta().getKind();
            Parser<? extends Message> parser = KINDS.get(apiVersion + "/" + kind);
            if (parser == null) {
                return Optional.empty();
            }
            ObjectNode object = NODES.objectNode().put("apiVersion", apiVersion).put("kind", kind);
            object.setAll((ObjectNode) toJson(parser.parseFrom(unknown.getRaw())));
            return Optional.of(object);
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
    }

    private static JsonNode toJson(Message message) {
        String type = message.getDescriptorForType().getFullName();
        switch (type) {
            case "k8s.io.apimachinery.pkg.apis.meta.v1.Time", "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime" -> {
                long seconds = (Long) field(message, "seconds", 0L);
                int nanos = (Integer) field(message, "nanos", 0);
                if (seconds == 0 && nanos == 0) {
                    return null;
                }
                Instant time = Instant.ofEpochSecond(seconds, nanos);
                return NODES.textNode((type.endsWith("MicroTime") ? time.truncatedTo(ChronoUnit.MICROS)
                        : time.truncatedTo(ChronoUnit.SECONDS)).toString());
            }
            case "k8s.io.apimachinery.pkg.util.intstr.IntOrString" -> {
                long kind = ((Number) field(message, "type", 0L)).longValue();
                return kind == 0 ? NODES.numberNode((Integer) field(message, "intVal", 0))
                        : NODES.textNode((String) field(message, "strVal", ""));
            }
            case "k8s.io.apimachinery.pkg.api.resource.Quantity" -> {
                return NODES.textNode((String) field(message, "string", ""));
            }
            case "k8s.io.apimachinery.pkg.apis.meta.v1.Duration" -> {
                return NODES.textNode((String) field(message, "duration", ""));
            }
            case "k8s.io.apimachinery.pkg.runtime.RawExtension" -> {
                try {
                    return JSON.readTree(((ByteString) field(message, "raw", ByteString.EMPTY)).toByteArray());
                } catch (IOException e) {
                    return null;
                }
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                message.getAllFields().forEach((field, value) -> {
                    JsonNode json = field.isMapField() ? map(value) : field.isRepeated()
                            ? list(field, (List<?>) value) : value(field, value);
                    if (json != null) {
                        object.set(field.getName(), json);
                    }
                });
                return object;
            }
        }
    }

    private static Object field(Message message, String name, Object missing) {
        FieldDescriptor field = message.getDescriptorForType().findFieldByName(name);
        if (field == null) {
            return missing;
        }
        Object value = message.getField(field);
        return value instanceof com.google.protobuf.Descriptors.EnumValueDescriptor e ? (long) e.getNumber() : value;
    }

    private static JsonNode map(Object entries) {
        ObjectNode map = NODES.objectNode();
        for (Object entry : (List<?>) entries) {
            Message pair = (Message) entry;
            FieldDescriptor key = pair.getDescriptorForType().findFieldByName("key");
            FieldDescriptor value = pair.getDescriptorForType().findFieldByName("value");
            map.set(String.valueOf(pair.getField(key)), value(value, pair.getField(value)));
        }
        return map;
    }

    private static JsonNode list(FieldDescriptor field, List<?> values) {
        ArrayNode list = NODES.arrayNode();
        values.forEach(value -> list.add(value(field, value)));
        return list;
    }

    private static JsonNode value(FieldDescriptor field, Object value) {
        return switch (field.getJavaType()) {
            case MESSAGE -> toJson((Message) value);
            case BYTE_STRING -> NODES.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
            case INT -> NODES.numberNode((Integer) value);
            case LONG -> NODES.numberNode((Long) value);
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            case DOUBLE -> NODES.numberNode((Double) value);
            case FLOAT -> NODES.numberNode((Float) value);
            case ENUM -> NODES.textNode(((com.google.protobuf.Descriptors.EnumValueDescriptor) value).getName());
            default -> NODES.textNode(String.valueOf(value));
        };
    }
}
