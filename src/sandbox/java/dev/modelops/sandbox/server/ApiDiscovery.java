package dev.modelops.sandbox.server;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersions;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API discovery ({@code /api}, {@code /apis}, {@code /apis/<group>/<version>}) as kubectl reads it: the built-in
 * kinds the sandbox runs and every CRD stored so far.
 */
final class ApiDiscovery {

    private static final Pattern UNTYPED_LIST = Pattern.compile("^\\{\"apiVersion\":\"v1\",\"kind\":\"List\",");

    private static final List<String> ALL_VERBS = List.of("create", "delete", "deletecollection", "get", "list",
            "patch", "update", "watch");
    private static final List<String> SUBRESOURCE_VERBS = List.of("get", "patch", "update");

    /** Built-in resources by group/version ("v1" for the core group). */
    private static final Map<String, List<APIResource>> BUILT_IN = builtIn();

    private final Supplier<List<CustomResourceDefinition>> crds;

    ApiDiscovery(Supplier<List<CustomResourceDefinition>> crds) {
        this.crds = crds;
    }

    APIVersions coreVersions() {
        return new APIVersionsBuilder().withVersions("v1").build();
    }

    APIGroupList groups() {
        Map<String, List<String>> versionsByGroup = new LinkedHashMap<>();
        BUILT_IN.keySet().stream().filter(gv -> gv.contains("/"))
                .forEach(gv -> versionsByGroup.computeIfAbsent(groupOf(gv), g -> new ArrayList<>()).add(versionOf(gv)));
        for (CustomResourceDefinition crd : crds.get()) {
            for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
                if (Boolean.TRUE.equals(v.getServed())) {
                    List<String> versions = versionsByGroup.computeIfAbsent(crd.getSpec().getGroup(), g -> new ArrayList<>());
                    if (!versions.contains(v.getName())) {
                        versions.add(v.getName());
                    }
                }
            }
        }
        List<APIGroup> groups = versionsByGroup.entrySet().stream().map(e -> group(e.getKey(), e.getValue())).toList();
        return new APIGroupListBuilder().withGroups(groups).build();
    }

    Optional<APIGroup> group(String group) {
        return groups().getGroups().stream().filter(g -> g.getName().equals(group)).findFirst();
    }

    /** @param groupVersion "v1" for the core group, else "group/version" */
    Optional<APIResourceList> resources(String groupVersion) {
        List<APIResource> resources = new ArrayList<>(BUILT_IN.getOrDefault(groupVersion, List.of()));
        for (CustomResourceDefinition crd : BUILT_IN.containsKey(groupVersion) ? List.<CustomResourceDefinition>of()
                : crds.get()) {
            for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
                if (Boolean.TRUE.equals(v.getServed()) && groupVersion.equals(crd.getSpec().getGroup() + "/" + v.getName())) {
                    resources.addAll(crdResources(crd, v));
                }
            }
        }
        if (resources.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new APIResourceListBuilder().withGroupVersion(groupVersion).withResources(resources).build());
    }

    /** The resource a path names (its kind and scope), if this server serves it. */
    Optional<APIResource> resource(ResourcePath path) {
        return resources(path.groupVersion()).flatMap(list -> list.getResources().stream()
                .filter(r -> r.getName().equals(path.plural())).findFirst());
    }

    /** The store's list as the API server names it: kind {@code <Kind>List} of the path's group and version. */
    String typedList(String body, ResourcePath target) {
        Matcher untyped = UNTYPED_LIST.matcher(body);
        Optional<String> kind = resource(target).map(r -> r.getKind());
        if (!untyped.lookingAt() || kind.isEmpty()) {
            return body;
        }
        return "{\"apiVersion\":\"" + target.groupVersion() + "\",\"kind\":\"" + kind.get() + "List\","
                + body.substring(untyped.end());
    }

    /** Whether the path's resource is a custom resource (a CRD serves it). */
    boolean isCustomResource(ResourcePath path) {
        return crds.get().stream().anyMatch(crd -> crd.getSpec().getGroup().equals(path.group())
                && crd.getSpec().getNames().getPlural().equals(path.plural()));
    }

    private static List<APIResource> crdResources(CustomResourceDefinition crd, CustomResourceDefinitionVersion version) {
        var names = crd.getSpec().getNames();
        boolean namespaced = "Namespaced".equals(crd.getSpec().getScope());
        List<APIResource> resources = new ArrayList<>();
        resources.add(new APIResourceBuilder().withName(names.getPlural()).withSingularName(names.getSingular())
                .withKind(names.getKind()).withNamespaced(namespaced).withVerbs(ALL_VERBS)
                .withShortNames(names.getShortNames()).withCategories(names.getCategories()).build());
        if (version.getSubresources() != null && version.getSubresources().getStatus() != null) {
            resources.add(subresource(names.getPlural() + "/status", names.getKind(), namespaced));
        }
        return resources;
    }

    private static APIGroup group(String name, List<String> versions) {
        List<GroupVersionForDiscovery> gvs = versions.stream()
                .map(v -> new GroupVersionForDiscovery(name + "/" + v, v)).toList();
        return new APIGroupBuilder().withName(name).withVersions(gvs).withPreferredVersion(gvs.get(0)).build();
    }

    private static Map<String, List<APIResource>> builtIn() {
        Map<String, List<APIResource>> builtIn = new LinkedHashMap<>();
        builtIn.put("v1", List.of(
                resource("namespaces", "Namespace", false, List.of("ns")),
                resource("pods", "Pod", true, List.of("po"), "all"),
                subresource("pods/log", "Pod", true),
                subresource("pods/status", "Pod", true),
                resource("services", "Service", true, List.of("svc"), "all"),
                resource("configmaps", "ConfigMap", true, List.of("cm")),
                resource("secrets", "Secret", true, List.of()),
                resource("serviceaccounts", "ServiceAccount", true, List.of("sa")),
                resource("events", "Event", true, List.of("ev"))));
        builtIn.put("apps/v1", List.of(
                resource("deployments", "Deployment", true, List.of("deploy"), "all"),
                subresource("deployments/status", "Deployment", true),
                resource("replicasets", "ReplicaSet", true, List.of("rs"), "all"),
                subresource("replicasets/status", "ReplicaSet", true)));
        builtIn.put("batch/v1", List.of(
                resource("jobs", "Job", true, List.of(), "all"),
                subresource("jobs/status", "Job", true),
                resource("cronjobs", "CronJob", true, List.of("cj"), "all"),
                subresource("cronjobs/status", "CronJob", true)));
        builtIn.put("coordination.k8s.io/v1", List.of(resource("leases", "Lease", true, List.of())));
        builtIn.put("events.k8s.io/v1", List.of(resource("events", "Event", true, List.of("ev"))));
        builtIn.put("authorization.k8s.io/v1", List.of(createOnly("selfsubjectaccessreviews",
                "SelfSubjectAccessReview"), createOnly("selfsubjectrulesreviews", "SelfSubjectRulesReview")));
        builtIn.put("authentication.k8s.io/v1", List.of(createOnly("selfsubjectreviews", "SelfSubjectReview")));
        builtIn.put("apiextensions.k8s.io/v1", List.of(
                resource("customresourcedefinitions", "CustomResourceDefinition", false, List.of("crd", "crds"))));
        return builtIn;
    }

    private static APIResource resource(String plural, String kind, boolean namespaced, List<String> shortNames,
            String... categories) {
        return new APIResourceBuilder().withName(plural).withSingularName(kind.toLowerCase()).withKind(kind)
                .withNamespaced(namespaced).withVerbs(ALL_VERBS).withShortNames(shortNames)
                .withCategories(List.of(categories)).build();
    }

    private static APIResource createOnly(String plural, String kind) {
        return new APIResourceBuilder().withName(plural).withSingularName(kind.toLowerCase()).withKind(kind)
                .withNamespaced(false).withVerbs(List.of("create")).build();
    }

    private static APIResource subresource(String name, String kind, boolean namespaced) {
        return new APIResourceBuilder().withName(name).withSingularName("").withKind(kind).withNamespaced(namespaced)
                .withVerbs(name.endsWith("/log") ? List.of("get") : SUBRESOURCE_VERBS).build();
    }

    private static String groupOf(String groupVersion) {
        return groupVersion.substring(0, groupVersion.indexOf('/'));
    }

    private static String versionOf(String groupVersion) {
        return groupVersion.substring(groupVersion.indexOf('/') + 1);
    }
}
