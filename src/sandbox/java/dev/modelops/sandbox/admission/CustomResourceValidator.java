package dev.modelops.sandbox.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Admits custom resources the way a Kubernetes API server does for CRDs: it prunes unknown fields, applies schema
 * defaults, runs the OpenAPI checks and then, unless those found the object malformed, the CEL
 * {@code x-kubernetes-validations} rules (transition rules only on update). The result carries the causes and the
 * message of the API server's 422 answer, and the defaulted object.
 *
 * <p>Every rule is compiled once, when the validator is built; a validator is safe to share between threads.
 * Messages follow Kubernetes 1.34. Not covered: metadata validation beyond the name, CEL cost budgets, validation
 * ratcheting, and Kubernetes' own CEL libraries (quantity, IP, URL, lists); CEL evaluation errors carry the words
 * of cel-java, not cel-go.
 */
public final class CustomResourceValidator {

    private final Map<String, VersionSchema> schemas;

    private CustomResourceValidator(Map<String, VersionSchema> schemas) {
        this.schemas = schemas;
    }

    /** A validator of the served versions of the given CRDs. */
    public static CustomResourceValidator of(Collection<CustomResourceDefinition> crds) {
        Map<String, VersionSchema> schemas = new LinkedHashMap<>();
        for (CustomResourceDefinition crd : crds) {
            String group = crd.getSpec().getGroup();
            String kind = crd.getSpec().getNames().getKind();
            for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
                if (Boolean.TRUE.equals(version.getServed()) && version.getSchema() != null) {
                    JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
                    schemas.put(key(group + "/" + version.getName(), kind),
                            new VersionSchema(group, kind, root, CelRuleTree.compile(root)));
                }
            }
        }
        return new CustomResourceValidator(schemas);
    }

    /** Whether a CRD of this validator serves the given apiVersion and kind. */
    public boolean serves(String apiVersion, String kind) {
        return schemas.containsKey(key(apiVersion, kind));
    }

    /** Admits a new object (a create). */
    public AdmissionResult validateCreate(JsonNode object) {
        return validate(object, null);
    }

    /** Admits a changed object (an update), running transition rules against {@code oldObject}. */
    public AdmissionResult validateUpdate(JsonNode object, JsonNode oldObject) {
        return validate(object, Objects.requireNonNull(oldObject, "oldObject"));
    }

    private AdmissionResult validate(JsonNode object, JsonNode oldObject) {
        VersionSchema schema = schemaOf(object);
        ObjectNode admitted = schema.decode(object);
        List<FieldError> causes = new ArrayList<>();
        ObjectMetaCheck.validate(admitted, causes::add);
        OpenApiSchemaValidator.validateResource(admitted, schema.root(), causes::add);
        if (schema.rules() != null) {
            if (causes.stream().anyMatch(cause -> cause.type().blocksCel())) {
                causes.add(FieldError.invalid(FieldError.NO_FIELD, null, "some validation rules were not checked "
                        + "because the object was invalid; correct the existing errors to complete validation"));
            } else {
                JsonNode old = oldObject == null ? null : schema.decode(oldObject);
                schema.rules().validate(FieldPaths.ROOT, admitted, old, causes::add);
            }
        }
        return new AdmissionResult(schema.kind(), schema.group(), admitted.path("metadata").path("name").asText(""),
                causes, admitted);
    }

    /** Every rule of every served version, with where it is declared and whether it compiled. */
    public List<RuleReport> rules() {
        List<RuleReport> reports = new ArrayList<>();
        schemas.values().stream().filter(schema -> schema.rules() != null).forEach(schema -> schema.rules()
                .forEachRule((path, rule) -> reports.add(new RuleReport(schema.kind(), path, rule.rule().getRule(),
                        rule.rule().getMessage(), rule.compileError()))));
        return reports;
    }

    private VersionSchema schemaOf(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText();
        String kind = object.path("kind").asText();
        VersionSchema schema = schemas.get(key(apiVersion, kind));
        if (schema == null) {
            throw new IllegalArgumentException("no CRD serves kind " + kind + " in " + apiVersion);
        }
        return schema;
    }

    private static String key(String apiVersion, String kind) {
        return apiVersion + "|" + kind;
    }

    private record VersionSchema(String group, String kind, JSONSchemaProps root, CelRuleTree rules) {

        ObjectNode decode(JsonNode object) {
            if (!object.isObject()) {
                throw new IllegalArgumentException("a custom resource must be a JSON object");
            }
            ObjectNode copy = ((ObjectNode) object).deepCopy();
            StructuralDefaulting.pruneAndDefault(copy, root);
            return copy;
        }
    }
}
