package dev.modelops.sandbox.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.values.NullValue;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON value as the CEL runtime sees it, given its schema: objects with properties become maps keyed by the
 * escaped property names, maps keep their keys, integers are {@code long}, numbers {@code double}.
 */
final class CelValues {

    private CelValues() {
    }

    static Object of(JsonNode value, JSONSchemaProps schema) {
        if (value == null || value.isNull()) {
            return NullValue.NULL_VALUE;
        }
        if (value.isObject()) {
            return object(value, schema);
        }
        if (value.isArray()) {
            JSONSchemaProps items = schema == null ? null : Schemas.items(schema);
            List<Object> list = new ArrayList<>(value.size());
            value.forEach(item -> list.add(of(item, items)));
            return list;
        }
        if (value.isIntegralNumber()) {
            return schema != null && "number".equals(schema.getType()) ? (Object) value.asDouble() : value.asLong();
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        return value.asText();
    }

    private static Map<String, Object> object(JsonNode value, JSONSchemaProps schema) {
        Map<String, JSONSchemaProps> properties = schema == null ? Map.of() : Schemas.properties(schema);
        JSONSchemaProps additional = schema == null ? null : Schemas.additionalProperties(schema);
        Map<String, Object> map = new LinkedHashMap<>();
        value.fields().forEachRemaining(field -> {
            JSONSchemaProps property = properties.get(field.getKey());
            if (property != null) {
                CelPropertyNames.escape(field.getKey())
                        .ifPresent(escaped -> map.put(escaped, of(field.getValue(), property)));
            } else {
                map.put(field.getKey(), of(field.getValue(), additional));
            }
        });
        return map;
    }
}
