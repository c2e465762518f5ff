package dev.modelops.sandbox.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * OpenAPI v3 as kubectl reads it ({@code /openapi/v3} and one document per group-version): the schemas of the
 * stored CRDs, so that {@code kubectl explain} documents every field and {@code kubectl apply} finds the kinds.
 * Built-in group-versions are listed with no schemas; kubectl knows those kinds itself.
 */
final class OpenApiDocuments {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

    private final ApiDiscovery discovery;
    private final Supplier<List<CustomResourceDefinition>> crds;

    OpenApiDocuments(ApiDiscovery discovery, Supplier<List<CustomResourceDefinition>> crds) {
        this.discovery = discovery;
        this.crds = crds;
    }

    String index() {
        ObjectNode paths = JSON.createObjectNode();
        addPath(paths, "api/v1");
        discovery.groups().getGroups().forEach(group -> group.getVersions()
                .forEach(gv -> addPath(paths, "apis/" + gv.getGroupVersion())));
        ObjectNode index = JSON.createObjectNode();
        index.set("paths", paths);
        return index.toString();
    }

    private void addPath(ObjectNode paths, String path) {
        String hash = Integer.toHexString(document(path).map(String::hashCode).orElse(0));
        paths.putObject(path).put("serverRelativeURL", "/openapi/v3/" + path + "?hash=" + hash.toUpperCase());
    }

    /** @param path "api/v1" or "apis/<group>/<version>" */
    Optional<String> document(String path) {
        String groupVersion = path.equals("api/v1") ? "v1" : path.startsWith("apis/") ? path.substring(5) : null;
        if (groupVersion == null || discovery.resources(groupVersion).isEmpty()) {
            return Optional.empty();
        }
        ObjectNode document = JSON.createObjectNode().put("openapi", "3.0.0");
        document.putObject("info").put("title", "modelops sandbox").put("version", "v1.32.0");
        ObjectNode paths = document.putObject("paths");
        String prefix = groupVersion.equals("v1") ? "/api/v1" : "/apis/" + groupVersion;
        String group = groupVersion.contains("/") ? groupVersion.substring(0, groupVersion.indexOf('/')) : "";
        String version = groupVersion.substring(groupVersion.indexOf('/') + 1);
        for (APIResource resource : discovery.resources(groupVersion).orElseThrow().getResources()) {
            if (!resource.getName().contains("/")) {
                addPaths(paths, prefix, resource, group, version);
            }
        }
        ObjectNode schemas = document.putObject("components").putObject("schemas");
        schemas.set(OBJECT_META, objectMeta());
        for (CustomResourceDefinition crd : crds.get()) {
            for (CustomResourceDefinitionVersion served : crd.getSpec().getVersions()) {
                if (groupVersion.equals(crd.getSpec().getGroup() + "/" + served.getName()) && served.getSchema() != null) {
                    schemas.set(schemaName(crd, served), kindSchema(crd, served));
                }
            }
        }
        return Optional.of(document.toString());
    }

    /**
     * The operations of a resource, each naming its kind and accepting {@code fieldValidation}: kubectl looks for
     * them before it sends server-side field validation, and falls back to OpenAPI v2 when they are missing.
     */
    private static void addPaths(ObjectNode paths, String prefix, APIResource resource, String group, String version) {
        String collection = prefix + (Boolean.TRUE.equals(resource.getNamespaced()) ? "/namespaces/{namespace}/" : "/")
                + resource.getName();
        ObjectNode gvk = JSON.createObjectNode().put("group", group).put("kind", resource.getKind()).put("version", version);
        ObjectNode collectionPath = paths.putObject(collection);
        for (String verb : List.of("get", "post", "delete")) {
            operation(collectionPath, verb, gvk);
        }
        ObjectNode itemPath = paths.putObject(collection + "/{name}");
        for (String verb : List.of("get", "put", "patch", "delete")) {
            operation(itemPath, verb, gvk);
        }
    }

    private static void operation(ObjectNode path, String verb, ObjectNode gvk) {
        ObjectNode operation = path.putObject(verb);
        operation.set("x-kubernetes-group-version-kind", gvk);
        operation.putArray("parameters").addObject().put("name", "fieldValidation").put("in", "query")
                .putObject("schema").put("type", "string");
        operation.putObject("responses").putObject("200").put("description", "OK");
    }

    private static String schemaName(CustomResourceDefinition crd, CustomResourceDefinitionVersion version) {
        String[] group = crd.getSpec().getGroup().split("\\.");
        StringBuilder reversed = new StringBuilder();
        for (int i = group.length - 1; i >= 0; i--) {
            reversed.append(group[i]).append('.');
        }
        return reversed + version.getName() + "." + crd.getSpec().getNames().getKind();
    }

    private static ObjectNode kindSchema(CustomResourceDefinition crd, CustomResourceDefinitionVersion version) {
        ObjectNode schema = JSON.valueToTree(version.getSchema().getOpenAPIV3Schema());
        ObjectNode properties = schema.with("properties");
        properties.putObject("apiVersion").put("type", "string").put("description",
                "APIVersion defines the versioned schema of this representation of an object.");
        properties.putObject("kind").put("type", "string").put("description",
                "Kind is a string value representing the REST resource this object represents.");
        ObjectNode metadata = properties.putObject("metadata");
        metadata.put("description", "Standard object's metadata.");
        metadata.putArray("allOf").addObject().put("$ref", "#/components/schemas/" + OBJECT_META);
        schema.putArray("x-kubernetes-group-version-kind").addObject()
                .put("group", crd.getSpec().getGroup())
                .put("kind", crd.getSpec().getNames().getKind())
                .put("version", version.getName());
        return schema;
    }

    private static JsonNode objectMeta() {
        ObjectNode meta = JSON.createObjectNode().put("type", "object").put("description",
                "ObjectMeta is metadata that all persisted resources must have.");
        ObjectNode properties = meta.putObject("properties");
        for (String field : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp",
                "deletionTimestamp", "generateName")) {
            properties.putObject(field).put("type", "string");
        }
        properties.putObject("generation").put("type", "integer").put("format", "int64");
        for (String map : List.of("labels", "annotations")) {
            properties.putObject(map).put("type", "object").putObject("additionalProperties").put("type", "string");
        }
        properties.putObject("finalizers").put("type", "array").putObject("items").put("type", "string");
        properties.putObject("ownerReferences").put("type", "array").putObject("items").put("type", "object")
                .put("x-kubernetes-preserve-unknown-fields", true);
        properties.putObject("managedFields").put("type", "array").putObject("items").put("type", "object")
                .put("x-kubernetes-preserve-unknown-fields", true);
        return meta;
    }
}
