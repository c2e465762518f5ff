package dev.modelops.sandbox.server;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The API requests counted at one moment, keyed {@code "<verb> <resource>"} such as {@code "patch modeljobs/status"}.
 * Counts of zero are left out, so that two deltas of the same requests are equal.
 *
 * @param counts how many requests each verb and resource had
 */
public record ApiRequestCounts(Map<String, Long> counts) {

    private static final Set<String> WRITES = Set.of("create", "update", "patch", "delete", "deletecollection");
    private static final List<String> VERB_ORDER = List.of("get", "list", "watch", "create", "update", "patch",
            "delete", "deletecollection");

    public ApiRequestCounts {
        Map<String, Long> nonZero = new TreeMap<>();
        counts.forEach((key, count) -> {
            if (count != 0) {
                nonZero.put(key, count);
            }
        });
        counts = Collections.unmodifiableMap(nonZero);
    }

    /** The key of a verb and resource in {@link #counts()}. */
    public static String key(String verb, String resource) {
        return verb + " " + resource;
    }

    public long count(String verb, String resource) {
        return counts.getOrDefault(key(verb, resource), 0L);
    }

    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Requests that change something: create, update, patch, delete and deletecollection, of any resource. */
    public long writes() {
        return writesExcept();
    }

    /** The writes to resources other than these, such as {@code writesExcept("events")}. */
    public long writesExcept(String... resources) {
        Set<String> excluded = Set.of(resources);
        long writes = 0;
        for (Map.Entry<String, Long> entry : counts.entrySet()) {
            String[] verbAndResource = split(entry.getKey());
            if (WRITES.contains(verbAndResource[0]) && !excluded.contains(verbAndResource[1])) {
                writes += entry.getValue();
            }
        }
        return writes;
    }

    /** What was counted since {@code earlier}, a snapshot of the same counter taken before this one. */
    public ApiRequestCounts minus(ApiRequestCounts earlier) {
        Map<String, Long> delta = new HashMap<>(counts);
        earlier.counts.forEach((key, count) -> delta.merge(key, -count, Long::sum));
        return new ApiRequestCounts(delta);
    }

    /** A table with a row per resource and verb, grouped by resource, and the total. */
    @Override
    public String toString() {
        List<String[]> rows = new ArrayList<>();
        counts.forEach((key, count) -> {
            String[] verbAndResource = split(key);
            rows.add(new String[] {verbAndResource[0], verbAndResource[1], Long.toString(count)});
        });
        rows.sort(Comparator.<String[], String>comparing(row -> row[1]).thenComparing(row -> verbRank(row[0]))
                .thenComparing(row -> row[0]));
        int verbWidth = "deletecollection".length();
        int resourceWidth = "RESOURCE".length();
        int countWidth = Long.toString(total()).length();
        for (String[] row : rows) {
            resourceWidth = Math.max(resourceWidth, row[1].length());
        }
        String format = "%-" + verbWidth + "s  %-" + resourceWidth + "s  %" + Math.max(countWidth, 5) + "s%n";
        StringBuilder table = new StringBuilder(String.format(format, "VERB", "RESOURCE", "COUNT"));
        rows.forEach(row -> table.append(String.format(format, (Object[]) row)));
        return table.append(String.format(format, "TOTAL", "", total())).toString();
    }

    private static String[] split(String key) {
        int space = key.indexOf(' ');
        return new String[] {key.substring(0, space), key.substring(space + 1)};
    }

    private static int verbRank(String verb) {
        int rank = VERB_ORDER.indexOf(verb);
        return rank < 0 ? VERB_ORDER.size() : rank;
    }
}
