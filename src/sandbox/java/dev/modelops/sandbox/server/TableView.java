package dev.modelops.sandbox.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Server-side printing: what {@code kubectl get} shows when it asks for {@code as=Table}. Custom resources get the
 * printer columns of their CRD; the built-in kinds the sandbox runs get the columns a real API server prints.
 */
final class TableView {

    private static final Pattern RESOURCE = Pattern.compile(
            "^/(?:api/(v1)|apis/([^/]+)/([^/]+))(?:/namespaces/[^/]+)?/([^/]+)(?:/[^/]+)?$");
    private static final ObjectMapper JSON = new ObjectMapper();

    record Column(String name, String type, String format, int priority, Function<JsonNode, Object> cell) {
    }

    private final Supplier<List<CustomResourceDefinition>> crds;
    private final Supplier<Instant> now;

    private final BuiltInColumns builtIn;

    TableView(Supplier<List<CustomResourceDefinition>> crds, Supplier<Instant> now) {
        this.crds = crds;
        this.now = now;
        this.builtIn = new BuiltInColumns(this, now);
    }

    /** The body as a meta.k8s.io/v1 Table, or empty when the path is not a resource or collection. */
    Optional<String> render(String route, String body) {
        return render(route, body, "Metadata");
    }

    /**
     * The body as a Table whose rows carry their object as {@code includeObject} asks ({@code None}, {@code Metadata}:
     * a PartialObjectMetadata, or {@code Object}: the whole object, which {@code kubectl get --sort-by} reads).
     */
    Optional<String> render(String route, String body, String includeObject) {
        Matcher resource = RESOURCE.matcher(route);
        if (!resource.matches()) {
            return Optional.empty();
        }
        String group = resource.group(1) != null ? "" : resource.group(2);
        String version = resource.group(1) != null ? "v1" : resource.group(3);
        List<Column> columns = columns(group, version, resource.group(4));
        try {
            JsonNode document = JSON.readTree(body);
            List<JsonNode> items = new ArrayList<>();
            if (document.has("items")) {
                document.get("items").forEach(items::add);
            } else {
                items.add(document);
            }
            return Optional.of(JSON.writeValueAsString(table(document, columns, items, includeObject)));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** A watch event's object as a one-row Table, as the API server sends to kubectl get -w. */
    UnaryOperator<JsonNode> rowView(String route, String includeObject) {
        return object -> render(route, object.toString(), includeObject).map(table -> {
            try {
                return JSON.readTree(table);
            } catch (Exception e) {
                return object;
            }
        }).orElse(object);
    }

    private ObjectNode table(JsonNode document, List<Column> columns, List<JsonNode> items, String includeObject) {
        ObjectNode table = JSON.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        ObjectNode metadata = table.putObject("metadata");
        metadata.put("resourceVersion", document.path("metadata").path("resourceVersion").asText(""));
        for (String chunking : List.of("continue", "remainingItemCount")) { // kubectl get lists in chunks of 500
            if (document.path("metadata").has(chunking)) {
                metadata.set(chunking, document.path("metadata").get(chunking));
            }
        }
        ArrayNode definitions = table.putArray("columnDefinitions");
        for (Column c : columns) {
            definitions.addObject().put("name", c.name()).put("type", c.type()).put("format", c.format())
                    .put("description", "").put("priority", c.priority());
        }
        ArrayNode rows = table.putArray("rows");
        for (JsonNode item : items) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            columns.forEach(c -> cells.add(JSON.valueToTree(c.cell().apply(item))));
            if (includeObject.equals("Object")) {
                row.set("object", item);
            } else if (!includeObject.equals("None")) {
                row.putObject("object").put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1")
                        .set("metadata", item.path("metadata"));
            }
        }
        return table;
    }

    private List<Column> columns(String group, String version, String plural) {
        List<Column> columns = new ArrayList<>();
        columns.add(new Column("Name", "string", "name", 0, o -> o.path("metadata").path("name").asText()));
        Optional<List<CustomResourceColumnDefinition>> custom = crds.get().stream()
                .filter(crd -> crd.getSpec().getGroup().equals(group) && crd.getSpec().getNames().getPlural().equals(plural))
                .flatMap(crd -> crd.getSpec().getVersions().stream()).filter(v -> v.getName().equals(version))
                .findFirst().map(v -> v.getAdditionalPrinterColumns() == null ? List.of() : v.getAdditionalPrinterColumns());
        if (custom.isPresent() && !custom.get().isEmpty()) {
            custom.get().forEach(c -> columns.add(new Column(c.getName(), c.getType(),
                    c.getFormat() == null ? "" : c.getFormat(), c.getPriority() == null ? 0 : c.getPriority(),
                    "date".equals(c.getType()) ? o -> age(JsonPathCell.read(o, c.getJsonPath()))
                            : o -> JsonPathCell.read(o, c.getJsonPath()))));
            return columns;
        }
        columns.addAll(custom.isPresent() ? List.of(ageColumn()) : builtIn.columns(plural).orElseGet(() -> List.of(ageColumn())));
        return columns;
    }

    Column ageColumn() {
        return new Column("Age", "string", "", 0, o -> age(o.path("metadata").path("creationTimestamp").asText(null)));
    }

    /** The time since an RFC 3339 timestamp, as kubectl shows ages; null stays null. */
    Object age(Object timestamp) {
        if (timestamp == null) {
            return null;
        }
        try {
            return HumanDuration.of(Duration.between(Instant.parse(timestamp.toString()), now.get()));
        } catch (RuntimeException e) {
            return timestamp;
        }
    }
}
