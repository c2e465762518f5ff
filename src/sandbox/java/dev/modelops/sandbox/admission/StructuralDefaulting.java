package dev.modelops.sandbox.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an API server does to a custom resource while decoding it, before any validation: it prunes the fields the
 * schema does not know (unless {@code x-kubernetes-preserve-unknown-fields}), drops nulls of non-nullable fields and
 * fills absent fields that have a {@code default}. Works in place on a copy owned by the caller.
 */
final class StructuralDefaulting {

    private static final Set<String> RESOURCE_FIELDS = Set.of("apiVersion", "kind", "metadata");

    private StructuralDefaulting() {
    }

    static void pruneAndDefault(ObjectNode object, JSONSchemaProps rootSchema) {
        prune(object, rootSchema, true);
        applyDefaults(object, rootSchema);
    }

    private static void prune(JsonNode value, JSONSchemaProps schema, boolean resourceRoot) {
        if (value instanceof ObjectNode object) {
            Map<String, JSONSchemaProps> properties = Schemas.properties(schema);
            JSONSchemaProps additional = Schemas.additionalProperties(schema);
            boolean keepUnknown = Schemas.preservesUnknownFields(schema) || additional != null
                    || schema.getAdditionalProperties() != null && Boolean.TRUE.equals(schema.getAdditionalProperties().getAllows());
            List<String> unknown = new ArrayList<>();
            object.fields().forEachRemaining(field -> {
                JSONSchemaProps property = properties.get(field.getKey());
                if (property != null) {
                    prune(field.getValue(), property, false);
                } else if (additional != null) {
                    prune(field.getValue(), additional, false);
                } else if (!keepUnknown && !(resourceRoot && RESOURCE_FIELDS.contains(field.getKey()))) {
                    unknown.add(field.getKey());
                }
            });
            object.remove(unknown);
        } else if (value instanceof ArrayNode array && Schemas.items(schema) != null) {
            array.forEach(item -> prune(item, Schemas.items(schema), false));
        }
    }

    private static void applyDefaults(JsonNode value, JSONSchemaProps schema) {
        if (value instanceof ObjectNode object) {
            Schemas.properties(schema).forEach((name, property) -> {
                JsonNode current = object.get(name);
                if ((current == null || current.isNull() && !Schemas.isNullable(property)) && property.getDefault() != null) {
                    object.set(name, property.getDefault().deepCopy());
                } else if (current != null && current.isNull() && !Schemas.isNullable(property)) {
                    object.remove(name);
                }
                if (object.get(name) != null) {
                    applyDefaults(object.get(name), property);
                }
            });
            JSONSchemaProps additional = Schemas.additionalProperties(schema);
            if (additional != null) {
                object.fields().forEachRemaining(field -> {
                    if (!Schemas.properties(schema).containsKey(field.getKey())) {
                        applyDefaults(field.getValue(), additional);
                    }
                });
            }
        } else if (value instanceof ArrayNode array && Schemas.items(schema) != null) {
            JSONSchemaProps items = Schemas.items(schema);
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isNull() && !Schemas.isNullable(items) && items.getDefault() != null) {
                    array.set(i, items.getDefault().deepCopy());
                }
                applyDefaults(array.get(i), items);
            }
        }
    }
}
