package dev.modelops.sandbox.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The OpenAPI checks an API server makes before the CEL rules (kube-openapi's schema validator, as
 * apiextensions-apiserver turns its results into field errors): type, required, enum, minimum and maximum, length,
 * item count and pattern. Unknown fields are not errors here: they were pruned when the object was decoded.
 */
final class OpenApiSchemaValidator {

    private static final Set<String> RESOURCE_FIELDS = Set.of("apiVersion", "kind", "metadata");

    private OpenApiSchemaValidator() {
    }

    static void validateResource(JsonNode object, JSONSchemaProps rootSchema, Consumer<FieldError> errors) {
        validate(FieldPaths.ROOT, object, rootSchema, errors);
    }

    private static void validate(String path, JsonNode value, JSONSchemaProps schema, Consumer<FieldError> errors) {
        if (value == null || value.isNull()) {
            if (!Schemas.isNullable(schema) && (schema.getType() != null || Schemas.isIntOrString(schema))) {
                typeError(path, "null", schema, errors);
            }
            return;
        }
        String actual = jsonType(value);
        if (!hasType(schema, value, actual)) {
            typeError(path, actual, schema, errors);
            return;
        }
        if (value.isTextual()) {
            validateString(path, value.asText(), schema, errors);
        } else if (value.isNumber()) {
            validateNumber(path, value, schema, errors);
        } else if (value.isArray()) {
            validateArray(path, value, schema, errors);
        }
        validateEnum(path, value, schema, errors);
        if (value.isObject()) {
            validateObject(path, value, schema, errors);
        }
    }

    private static String jsonType(JsonNode value) {
        if (value.isTextual()) {
            return "string";
        }
        if (value.isIntegralNumber()) {
            return "integer";
        }
        if (value.isNumber()) {
            return "number";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        return value.isArray() ? "array" : "object";
    }

    private static boolean hasType(JSONSchemaProps schema, JsonNode value, String actual) {
        if (Schemas.isIntOrString(schema)) {
            return "string".equals(actual) || "integer".equals(actual) || isWholeNumber(value);
        }
        String type = schema.getType();
        if (type == null || type.equals(actual)) {
            return true;
        }
        return "number".equals(type) && "integer".equals(actual) || "integer".equals(type) && isWholeNumber(value);
    }

    private static boolean isWholeNumber(JsonNode value) {
        return value.isNumber() && value.asDouble() == Math.rint(value.asDouble());
    }

    private static void typeError(String path, String actual, JSONSchemaProps schema, Consumer<FieldError> errors) {
        String expected = Schemas.isIntOrString(schema) ? "integer,string" : schema.getType();
        errors.accept(new FieldError(FieldErrorType.TYPE_INVALID, FieldPaths.display(path), actual,
                name(path) + " in body must be of type " + expected + ": " + GoStrings.quote(actual)));
    }

    private static void validateString(String path, String text, JSONSchemaProps schema, Consumer<FieldError> errors) {
        long length = text.codePointCount(0, text.length());
        if (schema.getMaxLength() != null && length > schema.getMaxLength()) {
            errors.accept(new FieldError(FieldErrorType.TOO_LONG, FieldPaths.display(path), text,
                    "may not be more than " + schema.getMaxLength() + " bytes"));
        }
        if (schema.getMinLength() != null && length < schema.getMinLength()) {
            errors.accept(FieldError.invalid(FieldPaths.display(path), text,
                    name(path) + " in body should be at least " + schema.getMinLength() + " chars long"));
        }
        if (schema.getPattern() != null && !Pattern.compile(schema.getPattern()).matcher(text).find()) {
            errors.accept(FieldError.invalid(FieldPaths.display(path), text,
                    name(path) + " in body should match '" + schema.getPattern() + "'"));
        }
    }

    private static void validateNumber(String path, JsonNode value, JSONSchemaProps schema,
            Consumer<FieldError> errors) {
        double number = value.asDouble();
        Object shown = value.isIntegralNumber() ? (Object) value.asLong() : (Object) number;
        Double minimum = schema.getMinimum();
        if (minimum != null) {
            boolean exclusive = Boolean.TRUE.equals(schema.getExclusiveMinimum());
            if (exclusive ? number <= minimum : number < minimum) {
                errors.accept(FieldError.invalid(FieldPaths.display(path), shown, name(path) + " in body should be "
                        + (exclusive ? "greater than " : "greater than or equal to ") + GoStrings.formatFloat(minimum)));
            }
        }
        Double maximum = schema.getMaximum();
        if (maximum != null) {
            boolean exclusive = Boolean.TRUE.equals(schema.getExclusiveMaximum());
            if (exclusive ? number >= maximum : number > maximum) {
                errors.accept(FieldError.invalid(FieldPaths.display(path), shown, name(path) + " in body should be "
                        + (exclusive ? "less than " : "less than or equal to ") + GoStrings.formatFloat(maximum)));
            }
        }
    }

    private static void validateArray(String path, JsonNode value, JSONSchemaProps schema,
            Consumer<FieldError> errors) {
        if (schema.getMaxItems() != null && value.size() > schema.getMaxItems()) {
            errors.accept(new FieldError(FieldErrorType.TOO_MANY, FieldPaths.display(path), (long) value.size(),
                    "must have at most " + schema.getMaxItems() + " items"));
        }
        if (schema.getMinItems() != null && value.size() < schema.getMinItems()) {
            errors.accept(FieldError.invalid(FieldPaths.display(path), (long) value.size(),
                    name(path) + " in body should have at least " + schema.getMinItems() + " items"));
        }
        JSONSchemaProps items = Schemas.items(schema);
        if (items != null) {
            for (int i = 0; i < value.size(); i++) {
                validate(FieldPaths.index(path, i), value.get(i), items, errors);
            }
        }
    }

    private static void validateEnum(String path, JsonNode value, JSONSchemaProps schema, Consumer<FieldError> errors) {
        List<JsonNode> allowed = schema.getEnum();
        if (allowed == null || allowed.isEmpty() || allowed.stream().anyMatch(value::equals)) {
            return;
        }
        String supported = allowed.stream()
                .map(v -> GoStrings.quote(v.isTextual() ? v.asText() : v.toString()))
                .collect(Collectors.joining(", "));
        errors.accept(new FieldError(FieldErrorType.NOT_SUPPORTED, FieldPaths.display(path), JsonValues.plain(value),
                "supported values: " + supported));
    }

    private static void validateObject(String path, JsonNode value, JSONSchemaProps schema,
            Consumer<FieldError> errors) {
        if (schema.getRequired() != null) {
            schema.getRequired().stream()
                    .filter(name -> !value.has(name))
                    .forEach(name -> errors.accept(FieldError.required(FieldPaths.child(path, name), "")));
        }
        Map<String, JSONSchemaProps> properties = Schemas.properties(schema);
        properties.forEach((name, property) -> {
            if (value.has(name) && !(path.isEmpty() && RESOURCE_FIELDS.contains(name))) {
                validate(FieldPaths.child(path, name), value.get(name), property, errors);
            }
        });
        JSONSchemaProps additional = Schemas.additionalProperties(schema);
        if (additional != null) {
            value.fields().forEachRemaining(field -> {
                if (!properties.containsKey(field.getKey())) {
                    validate(FieldPaths.child(path, field.getKey()), field.getValue(), additional, errors);
                }
            });
        }
    }

    /** How kube-openapi names a field in its messages ({@code spec.type in body ...}). */
    private static String name(String path) {
        return path.isEmpty() ? "." : path;
    }
}
