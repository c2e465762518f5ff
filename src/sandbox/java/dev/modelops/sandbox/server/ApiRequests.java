package dev.modelops.sandbox.server;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * Counts the requests the embedded API server serves, by verb and resource as Kubernetes audit logs name them
 * ({@code list pods}, {@code patch modeljobs/status}, {@code get pods/log}), so that tests and benchmarks can tell how
 * many API calls an operator makes. Counting is a map lookup and an increment: a benchmark sends about 100,000
 * requests. Requests outside the resource API (discovery, OpenAPI, version) are counted under the lowercased HTTP
 * method and their path ({@code get /apis/modelops.dev/v1alpha1}). Requests are also counted by client, named by
 * the product of their {@code User-Agent} ({@code modelops-operator}, {@code kubectl}), so that a benchmark can tell
 * the operator's requests from those of the simulated runtime playing the cluster, and by whole {@code User-Agent},
 * which tells two replicas of one client apart.
 */
public final class ApiRequests {

    /** By whole {@code User-Agent}; a client's counts are those of the agents that name it (a few per client). */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, LongAdder>> countsByUserAgent =
            new ConcurrentHashMap<>();

    ApiRequests() {
    }

    /** Counts one request given its {@code User-Agent} header (or null), HTTP method and URI (path and query). */
    void record(String userAgent, String method, String uri) {
        String agent = userAgent == null ? "" : userAgent;
        ConcurrentHashMap<String, LongAdder> counts = countsByUserAgent.get(agent);
        if (counts == null) {
            counts = countsByUserAgent.computeIfAbsent(agent, absent -> new ConcurrentHashMap<>());
        }
        String key = key(method, uri);
        LongAdder count = counts.get(key);
        if (count == null) {
            count = counts.computeIfAbsent(key, absent -> new LongAdder());
        }
        count.increment();
    }

    /** The requests served so far with this verb and resource, from every client. */
    public long count(String verb, String resource) {
        String key = ApiRequestCounts.key(verb, resource);
        long sum = 0;
        for (Map<String, LongAdder> counts : countsByUserAgent.values()) {
            LongAdder count = counts.get(key);
            sum += count == null ? 0 : count.sum();
        }
        return sum;
    }

    /** Every count at this moment, of every client; take two and subtract them with {@link ApiRequestCounts#minus}. */
    public ApiRequestCounts snapshot() {
        return snapshotOf(userAgent -> true);
    }

    /** The counts of one client, named as its {@code User-Agent} names it before the first {@code /}. */
    public ApiRequestCounts snapshot(String client) {
        return snapshotOf(userAgent -> client(userAgent).equals(client));
    }

    /** The counts of the requests whose whole {@code User-Agent} contains {@code text} (a replica's name). */
    public ApiRequestCounts snapshotOfUserAgentsWith(String text) {
        return snapshotOf(userAgent -> userAgent.contains(text));
    }

    private ApiRequestCounts snapshotOf(Predicate<String> userAgents) {
        Map<String, Long> copy = new HashMap<>();
        countsByUserAgent.forEach((userAgent, counts) -> {
            if (userAgents.test(userAgent)) {
                counts.forEach((key, count) -> copy.merge(key, count.sum(), Long::sum));
            }
        });
        return new ApiRequestCounts(copy);
    }

    /** {@code kubectl/v1.34.1 (linux/amd64) kubernetes/abc} names the client {@code kubectl}. */
    static String client(String userAgent) {
        if (userAgent == null) {
            return "";
        }
        int end = userAgent.indexOf('/');
        int space = userAgent.indexOf(' ');
        if (end < 0 || (space >= 0 && space < end)) {
            end = space;
        }
        return (end < 0 ? userAgent : userAgent.substring(0, end)).trim();
    }

    /** The counting key of a request, as the API server's {@code RequestInfoFactory} reads the URI. */
    static String key(String method, String uri) {
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        String[] parts = path.split("/");
        int at;
        if (parts.length >= 4 && parts[1].equals("api")) {
            at = 3;
        } else if (parts.length >= 5 && parts[1].equals("apis")) {
            at = 4;
        } else {
            return ApiRequestCounts.key(method.toLowerCase(Locale.ROOT), path);
        }
        String verb = switch (method) {
            case "POST" -> "create";
            case "GET", "HEAD" -> "get";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> method.toLowerCase(Locale.ROOT);
        };
        if (parts[at].equals("watch") || parts[at].equals("proxy")) {
            verb = parts[at++];
        }
        if (parts.length - at > 2 && parts[at].equals("namespaces") && !isNamespaceSubresource(parts[at + 2])) {
            at += 2;
        }
        int left = parts.length - at;
        if (left <= 0) {
            return ApiRequestCounts.key(method.toLowerCase(Locale.ROOT), path);
        }
        String resource = left >= 3 && !verb.equals("proxy") ? parts[at] + "/" + parts[at + 2] : parts[at];
        if (left == 1) {
            if (verb.equals("get")) {
                verb = isWatch(uri, query) ? "watch" : "list";
            } else if (verb.equals("delete")) {
                verb = "deletecollection";
            }
        } else if (verb.equals("get") && isWatch(uri, query)) {
            verb = "watch";
        }
        return ApiRequestCounts.key(verb, resource);
    }

    private static boolean isNamespaceSubresource(String part) {
        return part.equals("status") || part.equals("finalize");
    }

    /** Whether the query asks for a watch, with any of the true values Go's {@code strconv.ParseBool} takes. */
    private static boolean isWatch(String uri, int query) {
        if (query < 0) {
            return false;
        }
        for (String parameter : uri.substring(query + 1).split("&")) {
            if (parameter.startsWith("watch=")) {
                String value = parameter.substring("watch=".length());
                return value.equals("true") || value.equals("1") || value.equals("t") || value.equals("T")
                        || value.equals("TRUE") || value.equals("True");
            }
        }
        return false;
    }
}
