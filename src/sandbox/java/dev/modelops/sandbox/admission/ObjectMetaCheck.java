package dev.modelops.sandbox.admission;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.function.Consumer;

/** The one metadata check that every create needs: a name or a generateName. */
final class ObjectMetaCheck {

    private ObjectMetaCheck() {
    }

    static void validate(JsonNode object, Consumer<FieldError> errors) {
        JsonNode metadata = object.path("metadata");
        if (metadata.path("name").asText("").isEmpty() && metadata.path("generateName").asText("").isEmpty()) {
            errors.accept(FieldError.required("metadata.name", "name or generateName is required"));
        }
    }
}
