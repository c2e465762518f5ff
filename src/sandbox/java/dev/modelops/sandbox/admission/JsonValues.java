package dev.modelops.sandbox.admission;

import com.fasterxml.jackson.databind.JsonNode;

/** JSON scalars as the plain Java values that error messages print. */
final class JsonValues {

    private JsonValues() {
    }

    /** A String, Long, Double or Boolean for a scalar; null for JSON null; the JSON text otherwise. */
    static Object plain(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isIntegralNumber()) {
            return value.asLong();
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        return value.toString();
    }
}
