package dev.modelops.sandbox.server;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.SelectableField;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fields a field selector may name, per resource, as the API server's field label conversion allows them: for a
 * custom resource {@code metadata.name}, {@code metadata.namespace} and the version's {@code selectableFields}
 * (apiextensions-apiserver pkg/registry/customresource/strategy.go); for Pods and Jobs their registries' fields
 * (pkg/registry/core/pod/strategy.go ToSelectableFields, pkg/registry/batch/job/strategy.go adds
 * {@code status.successful}). Other built-in kinds are not checked.
 */
final class FieldLabels {

    private static final Pattern RESOURCE = Pattern.compile(
            "^/apis/([^/]+)/([^/]+)/(?:namespaces/[^/]+/)?([^/]+)(?:/[^/]+)?$");
    private static final Set<String> METADATA = Set.of("metadata.name", "metadata.namespace");
    private static final Map<String, Set<String>> BUILT_IN = Map.of(
            "/api/v1/pods", Set.of("metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy",
                    "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork", "status.phase",
                    "status.podIP", "status.podIPs", "status.nominatedNodeName"),
            "batch/v1/jobs", Set.of("metadata.name", "metadata.namespace", "status.successful"));
    private static final Pattern CORE = Pattern.compile("^/api/v1/(?:namespaces/[^/]+/)?([^/]+)(?:/[^/]+)?$");

    private final Supplier<List<CustomResourceDefinition>> crds;

    FieldLabels(Supplier<List<CustomResourceDefinition>> crds) {
        this.crds = crds;
    }

    /** The supported field labels of the resource a path names; empty when any field is taken. */
    Optional<Set<String>> of(String route) {
        Matcher core = CORE.matcher(route);
        if (core.matches()) {
            return Optional.ofNullable(BUILT_IN.get("/api/v1/" + core.group(1)));
        }
        Matcher resource = RESOURCE.matcher(route);
        if (!resource.matches()) {
            return Optional.empty();
        }
        String group = resource.group(1);
        String version = resource.group(2);
        String plural = resource.group(3);
        Set<String> builtIn = BUILT_IN.get(group + "/" + version + "/" + plural);
        if (builtIn != null) {
            return Optional.of(builtIn);
        }
        for (CustomResourceDefinition crd : crds.get()) {
            if (crd.getSpec().getGroup().equals(group) && crd.getSpec().getNames().getPlural().equals(plural)) {
                Set<String> fields = new HashSet<>(METADATA);
                crd.getSpec().getVersions().stream().filter(v -> v.getName().equals(version)).findFirst()
                        .map(CustomResourceDefinitionVersion::getSelectableFields).orElse(List.of()).stream()
                        .map(SelectableField::getJsonPath).map(p -> p.startsWith(".") ? p.substring(1) : p)
                        .forEach(fields::add);
                return Optional.of(fields);
            }
        }
        return Optional.empty();
    }
}
