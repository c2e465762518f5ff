package dev.modelops.sandbox.server;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Label and field selectors as the API server evaluates them. The store understands only some of them (no
 * {@code in}/{@code notin}, no field selectors besides metadata.name), so requests reach it without selectors and
 * the results are filtered here.
 */
final class SelectorFilter implements Predicate<JsonNode> {

    private static final Pattern SET_BASED = Pattern.compile("^\\s*([^\\s!=]+)\\s+(in|notin)\\s+\\(([^)]*)\\)\\s*$");
    private static final Pattern EQUALITY = Pattern.compile("^\\s*([^\\s!=]+)\\s*(==|=|!=)\\s*(\\S*)\\s*$");
    private static final Pattern EXISTS = Pattern.compile("^\\s*(!?)([^\\s!=()]+)\\s*$");

    private final List<Predicate<JsonNode>> requirements;

    private SelectorFilter(List<Predicate<JsonNode>> requirements) {
        this.requirements = requirements;
    }

    /** The selectors of a request path, or null when it has none. */
    static SelectorFilter of(String path) {
        return of(path, null);
    }

    /**
     * The selectors of a request path, or null when it has none.
     *
     * @param fieldLabels the fields a field selector may name, or null for any
     * @throws IllegalArgumentException for a selector that cannot be read or names a field not supported
     */
    static SelectorFilter of(String path, java.util.Set<String> fieldLabels) {
        List<Predicate<JsonNode>> requirements = new ArrayList<>();
        String labels = param(path, "labelSelector");
        if (labels != null) {
            for (String requirement : splitRequirements(labels)) {
                requirements.add(labelRequirement(requirement));
            }
        }
        String fields = param(path, "fieldSelector");
        if (fields != null) {
            for (String requirement : fields.split(",")) {
                Matcher field = EQUALITY.matcher(requirement);
                if (fieldLabels != null && field.matches() && !fieldLabels.contains(field.group(1))) {
                    throw new IllegalArgumentException("field label not supported: " + field.group(1));
                }
                requirements.add(fieldRequirement(requirement));
            }
        }
        return requirements.isEmpty() ? null : new SelectorFilter(requirements);
    }

    /** The path without its selectors, for the store. */
    static String withoutSelectors(String path) {
        return path.replaceAll("([?&])(labelSelector|fieldSelector)=[^&]*(&|$)", "$1").replaceAll("[?&]$", "")
                .replace("?&", "?");
    }

    @Override
    public boolean test(JsonNode object) {
        return requirements.stream().allMatch(r -> r.test(object));
    }

    private static Predicate<JsonNode> labelRequirement(String requirement) {
        Matcher set = SET_BASED.matcher(requirement);
        if (set.matches()) {
            Set<String> values = Set.of(set.group(3).trim().split("\\s*,\\s*"));
            boolean in = set.group(2).equals("in");
            return o -> {
                JsonNode value = o.path("metadata").path("labels").path(set.group(1));
                return in ? value.isTextual() && values.contains(value.asText())
                        : !value.isTextual() || !values.contains(value.asText());
            };
        }
        Matcher equality = EQUALITY.matcher(requirement);
        if (equality.matches()) {
            boolean equal = !equality.group(2).equals("!=");
            return o -> {
                JsonNode value = o.path("metadata").path("labels").path(equality.group(1));
                boolean matches = value.isTextual() && value.asText().equals(equality.group(3));
                return equal == matches;
            };
        }
        Matcher exists = EXISTS.matcher(requirement);
        if (exists.matches()) {
            boolean present = exists.group(1).isEmpty();
            return o -> present == o.path("metadata").path("labels").has(exists.group(2));
        }
        throw new IllegalArgumentException("unable to parse requirement: " + requirement);
    }

    private static Predicate<JsonNode> fieldRequirement(String requirement) {
        Matcher equality = EQUALITY.matcher(requirement);
        if (!equality.matches()) {
            throw new IllegalArgumentException("invalid field selector: " + requirement);
        }
        // a selectable field that is not the object's path: the Job's status.successful is status.succeeded
        String selected = equality.group(1).equals("status.successful") ? "status.succeeded" : equality.group(1);
        String[] fieldPath = selected.split("\\.");
        boolean equal = !equality.group(2).equals("!=");
        return o -> {
            JsonNode value = o;
            for (String field : fieldPath) {
                value = value.path(field);
            }
            return equal == (value.isValueNode() ? value.asText() : "").equals(equality.group(3));
        };
    }

    /** Splits on the commas between requirements, not those inside {@code in (a,b)}. */
    private static List<String> splitRequirements(String selector) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == ',' && depth == 0) {
                parts.add(selector.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(selector.substring(start));
        return parts.stream().filter(p -> !p.isBlank()).toList();
    }

    private static String param(String path, String name) {
        Matcher m = Pattern.compile("[?&]" + name + "=([^&]*)").matcher(path);
        return m.find() ? URLDecoder.decode(m.group(1), StandardCharsets.UTF_8) : null;
    }
}
