package dev.modelops.sandbox.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.types.CelType;
import dev.cel.runtime.CelEvaluationException;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The compiled {@code x-kubernetes-validations} of a schema, in a tree that parallels the schema and holds only the
 * branches with rules (apiextensions-apiserver {@code schema/cel.Validator}). Rules run with {@code self} bound to the
 * value at their node; transition rules (those naming {@code oldSelf}) run only when the node also exists in the old
 * object, which objects and maps always correlate and lists only by the keys of an {@code x-kubernetes-list-type: map}.
 */
final class CelRuleTree {

    private final JSONSchemaProps schema;
    private final String schemaPath;
    private final List<CompiledRule> rules;
    private final Map<String, CelRuleTree> properties;
    private final CelRuleTree items;
    private final CelRuleTree additionalProperties;

    private CelRuleTree(JSONSchemaProps schema, String schemaPath, List<CompiledRule> rules,
            Map<String, CelRuleTree> properties, CelRuleTree items, CelRuleTree additionalProperties) {
        this.schema = schema;
        this.schemaPath = schemaPath;
        this.rules = rules;
        this.properties = properties;
        this.items = items;
        this.additionalProperties = additionalProperties;
    }

    /** Compiles every rule of the schema; null when the schema has none. */
    static CelRuleTree compile(JSONSchemaProps rootSchema) {
        SchemaCelTypes types = new SchemaCelTypes();
        return compile(rootSchema, "", true, types, new CelRuleCompiler(types));
    }

    private static CelRuleTree compile(JSONSchemaProps schema, String path, boolean resourceRoot,
            SchemaCelTypes types, CelRuleCompiler compiler) {
        List<CompiledRule> rules = new ArrayList<>();
        List<ValidationRule> declared = schema.getXKubernetesValidations();
        if (declared != null && !declared.isEmpty()) {
            CelType selfType = types.typeOf(schema, path, resourceRoot);
            declared.forEach(rule -> rules.add(compiler.compile(rule, selfType)));
        }
        Map<String, CelRuleTree> properties = new LinkedHashMap<>();
        Schemas.properties(schema).forEach((name, property) -> {
            CelRuleTree child = compile(property, path + "." + name, false, types, compiler);
            if (child != null) {
                properties.put(name, child);
            }
        });
        CelRuleTree items = Schemas.items(schema) == null ? null
                : compile(Schemas.items(schema), path + "[]", false, types, compiler);
        CelRuleTree additional = Schemas.additionalProperties(schema) == null ? null
                : compile(Schemas.additionalProperties(schema), path + "{}", false, types, compiler);
        if (rules.isEmpty() && properties.isEmpty() && items == null && additional == null) {
            return null;
        }
        return new CelRuleTree(schema, path.isEmpty() ? "." : path, rules, properties, items, additional);
    }

    /** Visits every rule with the schema path of its node, such as {@code .spec.source}. */
    void forEachRule(RuleVisitor visitor) {
        rules.forEach(rule -> visitor.visit(schemaPath, rule));
        properties.values().forEach(child -> child.forEachRule(visitor));
        if (items != null) {
            items.forEachRule(visitor);
        }
        if (additionalProperties != null) {
            additionalProperties.forEachRule(visitor);
        }
    }

    interface RuleVisitor {
        void visit(String schemaPath, CompiledRule rule);
    }

    /** Runs the rules on {@code value} (and below), comparing with {@code oldValue} (null on create). */
    void validate(String path, JsonNode value, JsonNode oldValue, Consumer<FieldError> errors) {
        if (value == null || value.isNull()) {
            return;
        }
        JsonNode old = oldValue == null || oldValue.isNull() ? null : oldValue;
        new NodeEvaluation(path, value, old, errors).run();
        if (value.isObject()) {
            validateFields(path, value, old, errors);
        } else if (value.isArray() && items != null) {
            for (int i = 0; i < value.size(); i++) {
                items.validate(FieldPaths.index(path, i), value.get(i), correlatedItem(value.get(i), old), errors);
            }
        }
    }

    private void validateFields(String path, JsonNode value, JsonNode old, Consumer<FieldError> errors) {
        boolean correlatable = !"atomic".equals(schema.getXKubernetesMapType());
        value.fields().forEachRemaining(field -> {
            JsonNode oldField = correlatable && old != null ? old.get(field.getKey()) : null;
            CelRuleTree property = properties.get(field.getKey());
            if (property != null) {
                property.validate(FieldPaths.child(path, field.getKey()), field.getValue(), oldField, errors);
            } else if (additionalProperties != null && !Schemas.properties(schema).containsKey(field.getKey())) {
                additionalProperties.validate(FieldPaths.key(path, field.getKey()), field.getValue(), oldField,
                        errors);
            }
        });
    }

    /** Only the items of a map-list have an old value: the old item with the same keys. */
    private JsonNode correlatedItem(JsonNode item, JsonNode oldList) {
        List<String> keys = schema.getXKubernetesListMapKeys();
        if (oldList == null || !oldList.isArray() || !"map".equals(schema.getXKubernetesListType()) || keys == null
                || !item.isObject()) {
            return null;
        }
        for (JsonNode candidate : oldList) {
            if (keys.stream().allMatch(key -> String.valueOf(item.get(key)).equals(String.valueOf(candidate.get(key))))) {
                return candidate;
            }
        }
        return null;
    }

    /** The rules of one node on one value. */
    private final class NodeEvaluation {
        private final String path;
        private final JsonNode value;
        private final JsonNode old;
        private final Consumer<FieldError> errors;
        private Map<String, Object> activation;

        NodeEvaluation(String path, JsonNode value, JsonNode old, Consumer<FieldError> errors) {
            this.path = path;
            this.value = value;
            this.old = old;
            this.errors = errors;
        }

        void run() {
            for (CompiledRule rule : rules) {
                evaluate(rule);
            }
        }

        private void evaluate(CompiledRule rule) {
            String type = Schemas.typeName(schema);
            String field = FieldPaths.display(path);
            if (rule.compileError() != null) {
                errors.accept(FieldError.invalid(field, type, "rule compile error: " + rule.compileError()));
                return;
            }
            if (rule.transition() && old == null && !rule.optionalOldSelf()) {
                return;
            }
            Object result;
            try {
                result = rule.program().eval(activation(rule));
            } catch (CelEvaluationException e) {
                errors.accept(FieldError.invalid(field, type, evaluationError(e, rule)));
                return;
            }
            if (Boolean.TRUE.equals(result)) {
                return;
            }
            errors.accept(failure(rule, type));
        }

        private Map<String, Object> activation(CompiledRule rule) {
            if (activation == null) {
                activation = new HashMap<>();
                activation.put(CelRuleCompiler.SELF, CelValues.of(value, schema));
                if (old != null) {
                    activation.put(CelRuleCompiler.OLD_SELF, CelValues.of(old, schema));
                }
            }
            if (!rule.optionalOldSelf()) {
                return activation;
            }
            Map<String, Object> optional = new HashMap<>(activation);
            optional.put(CelRuleCompiler.OLD_SELF, Optional.ofNullable(activation.get(CelRuleCompiler.OLD_SELF)));
            return optional;
        }

        private FieldError failure(CompiledRule rule, String type) {
            String rulePath = rule.rule().getFieldPath();
            String field = FieldPaths.display(rulePath == null || rulePath.isBlank() ? path
                    : FieldPaths.child(path, rulePath.startsWith(".") ? rulePath.substring(1) : rulePath));
            String detail = messageExpression(rule).orElseGet(rule::messageOrDefault);
            String reason = rule.rule().getReason();
            if ("FieldValueForbidden".equals(reason)) {
                return new FieldError(FieldErrorType.FORBIDDEN, field, "", detail);
            }
            if ("FieldValueRequired".equals(reason)) {
                return FieldError.required(field, detail);
            }
            if ("FieldValueDuplicate".equals(reason)) {
                return new FieldError(FieldErrorType.DUPLICATE, field, type, "");
            }
            return FieldError.invalid(field, type, detail);
        }

        /** The evaluated messageExpression, or empty when it fails or is not a usable one-line message. */
        private Optional<String> messageExpression(CompiledRule rule) {
            if (rule.messageProgram() == null) {
                return Optional.empty();
            }
            try {
                Object message = rule.messageProgram().eval(activation(rule));
                if (message instanceof String text && !text.isBlank() && !text.strip().contains("\n")) {
                    return Optional.of(text.strip());
                }
            } catch (CelEvaluationException e) {
                // The API server logs this and falls back to the message.
            }
            return Optional.empty();
        }

        private String evaluationError(CelEvaluationException e, CompiledRule rule) {
            String error = e.getMessage();
            if (error != null && error.contains("No matching overload")) {
                return "'" + error + "': call arguments did not match a supported operator, function or macro "
                        + "signature for rule: " + rule.ruleText();
            }
            return error + " evaluating rule: " + rule.ruleText();
        }
    }
}
