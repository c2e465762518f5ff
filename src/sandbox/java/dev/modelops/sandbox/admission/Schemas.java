package dev.modelops.sandbox.admission;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;

import java.util.Map;

/** Small questions about a node of a structural schema, answered the way the API server answers them. */
final class Schemas {

    private Schemas() {
    }

    static Map<String, JSONSchemaProps> properties(JSONSchemaProps schema) {
        return schema.getProperties() == null ? Map.of() : schema.getProperties();
    }

    static JSONSchemaProps items(JSONSchemaProps schema) {
        return schema.getItems() == null ? null : schema.getItems().getSchema();
    }

    static JSONSchemaProps additionalProperties(JSONSchemaProps schema) {
        return schema.getAdditionalProperties() == null ? null : schema.getAdditionalProperties().getSchema();
    }

    static boolean preservesUnknownFields(JSONSchemaProps schema) {
        return Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields());
    }

    static boolean isIntOrString(JSONSchemaProps schema) {
        return Boolean.TRUE.equals(schema.getXKubernetesIntOrString());
    }

    static boolean isNullable(JSONSchemaProps schema) {
        return Boolean.TRUE.equals(schema.getNullable());
    }

    /** The type name in CEL error values: {@code object}, {@code string} ... or empty for int-or-string. */
    static String typeName(JSONSchemaProps schema) {
        return schema.getType() == null ? "" : schema.getType();
    }
}
