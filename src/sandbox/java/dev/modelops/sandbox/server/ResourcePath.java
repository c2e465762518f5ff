package dev.modelops.sandbox.server;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resource path as the API server reads it: {@code /api/v1[/namespaces/<ns>]/<plural>[/<name>[/<subresource>]]}
 * or the same under {@code /apis/<group>/<version>}.
 *
 * @param group the API group, empty for the core group
 * @param namespace null for a cluster-scoped path or one across namespaces
 * @param name null for a collection
 * @param subresource null for the object itself
 */
record ResourcePath(String group, String version, String namespace, String plural, String name, String subresource) {

    private static final Pattern PATH = Pattern.compile(
            "^/(?:api/(v1)|apis/([^/]+)/([^/]+))(?:/namespaces/([^/]+))?/([^/]+)(?:/([^/]+))?(?:/([^/]+))?$");

    static Optional<ResourcePath> of(String route) {
        Matcher m = PATH.matcher(route);
        if (!m.matches()) {
            return Optional.empty();
        }
        String group = m.group(1) != null ? "" : m.group(2);
        String version = m.group(1) != null ? "v1" : m.group(3);
        if (m.group(4) != null && m.group(6) == null && (m.group(5).equals("status") || m.group(5).equals("finalize"))) {
            // /api/v1/namespaces/<name>/status: a namespace's subresource
            return Optional.of(new ResourcePath(group, version, null, "namespaces", m.group(4), m.group(5)));
        }
        return Optional.of(new ResourcePath(group, version, m.group(4), m.group(5), m.group(6), m.group(7)));
    }

    /** "v1" for the core group, else "group/version". */
    String groupVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** The resource as the API server names it in messages: {@code jobs.batch}, {@code configmaps}. */
    String qualifiedResource() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    boolean isCollection() {
        return name == null;
    }

    boolean isStatus() {
        return "status".equals(subresource);
    }

    /** The path of the object itself, without its subresource. */
    String objectPath() {
        return collectionPath() + "/" + name;
    }

    String collectionPath() {
        String base = group.isEmpty() ? "/api/v1" : "/apis/" + group + "/" + version;
        return base + (namespace == null ? "" : "/namespaces/" + namespace) + "/" + plural;
    }

    ResourcePath named(String objectName) {
        return new ResourcePath(group, version, namespace, plural, objectName, null);
    }
}
