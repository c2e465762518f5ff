package dev.modelops.sandbox.server;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The subset of Kubernetes JSONPath that printer columns use: {@code .a.b}, {@code [0]}, {@code [*]} and
 * {@code [?(@.type=="Ready")]}. Several matches are joined with commas, as the API server does.
 */
final class JsonPathCell {

    private static final Pattern STEP = Pattern.compile(
            "\\.([A-Za-z0-9_-]+)|\\[(\\d+)]|\\[\\*]|\\[\\?\\(@\\.([A-Za-z0-9_.-]+)\\s*==\\s*[\"']([^\"']*)[\"']\\)]");

    private JsonPathCell() {
    }

    /** The value at the path, or null when nothing matches (kubectl prints {@code <none>}). */
    static Object read(JsonNode root, String path) {
        List<JsonNode> current = List.of(root);
        Matcher step = STEP.matcher(path);
        int at = 0;
        while (at < path.length()) {
            if (!step.find(at) || step.start() != at) {
                return null;
            }
            current = apply(current, step);
            at = step.end();
        }
        List<JsonNode> values = current.stream().filter(n -> n != null && !n.isMissingNode() && !n.isNull()).toList();
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() == 1) {
            return scalar(values.get(0));
        }
        return String.join(",", values.stream().map(v -> String.valueOf(scalar(v))).toList());
    }

    private static List<JsonNode> apply(List<JsonNode> nodes, Matcher step) {
        List<JsonNode> next = new ArrayList<>();
        for (JsonNode node : nodes) {
            if (step.group(1) != null) {
                next.add(node.path(step.group(1)));
            } else if (step.group(2) != null) {
                next.add(node.path(Integer.parseInt(step.group(2))));
            } else if (step.group(3) != null) {
                node.forEach(item -> {
                    if (step.group(4).equals(at(item, step.group(3)).asText(null))) {
                        next.add(item);
                    }
                });
            } else {
                node.forEach(next::add);
            }
        }
        return next;
    }

    private static JsonNode at(JsonNode node, String dottedPath) {
        JsonNode current = node;
        for (String field : dottedPath.split("\\.")) {
            current = current.path(field);
        }
        return current;
    }

    private static Object scalar(JsonNode node) {
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
