package dev.modelops.sandbox.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelops.sandbox.server.TableView.Column;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** The columns a real API server prints for the built-in kinds that the sandbox runs. */
final class BuiltInColumns {

    private final TableView table;
    private final Supplier<Instant> now;

    BuiltInColumns(TableView table, Supplier<Instant> now) {
        this.table = table;
        this.now = now;
    }

    Optional<List<Column>> columns(String plural) {
        return Optional.ofNullable(switch (plural) {
            case "pods" -> List.of(
                    text("Ready", BuiltInColumns::podReady),
                    text("Status", BuiltInColumns::podStatus),
                    new Column("Restarts", "integer", "", 0, BuiltInColumns::podRestarts),
                    table.ageColumn(),
                    wide("IP", o -> o.path("status").path("podIP").asText("<none>")),
                    wide("Node", o -> o.path("spec").path("nodeName").asText("<none>")),
                    wide("Nominated Node", o -> o.path("status").path("nominatedNodeName").asText("<none>")),
                    wide("Readiness Gates", BuiltInColumns::readinessGates));
            case "jobs" -> List.of(
                    text("Status", BuiltInColumns::jobStatus),
                    text("Completions", o -> o.path("status").path("succeeded").asInt(0) + "/"
                            + o.path("spec").path("completions").asInt(1)),
                    text("Duration", this::jobDuration),
                    table.ageColumn(),
                    wide("Containers", o -> containers(o.path("spec").path("template"), "name")),
                    wide("Images", o -> containers(o.path("spec").path("template"), "image")),
                    wide("Selector", o -> selector(o.path("spec").path("selector"))));
            case "cronjobs" -> List.of(
                    text("Schedule", o -> o.path("spec").path("schedule").asText()),
                    text("Timezone", o -> o.path("spec").path("timeZone").asText("<none>")),
                    text("Suspend", o -> o.path("spec").path("suspend").asBoolean(false) ? "True" : "False"),
                    new Column("Active", "integer", "", 0, o -> o.path("status").path("active").size()),
                    text("Last Schedule", o -> String.valueOf(Optional.ofNullable(table.age(
                            o.path("status").path("lastScheduleTime").asText(null))).orElse("<none>"))),
                    table.ageColumn(),
                    wide("Containers", o -> containers(o.path("spec").path("jobTemplate").path("spec").path("template"),
                            "name")),
                    wide("Images", o -> containers(o.path("spec").path("jobTemplate").path("spec").path("template"),
                            "image")),
                    wide("Selector", o -> selector(o.path("spec").path("jobTemplate").path("spec").path("selector"))));
            case "deployments" -> List.of(
                    text("Ready", o -> o.path("status").path("readyReplicas").asInt(0) + "/"
                            + o.path("spec").path("replicas").asInt(1)),
                    text("Up-to-date", o -> o.path("status").path("updatedReplicas").asInt(0)),
                    text("Available", o -> o.path("status").path("availableReplicas").asInt(0)),
                    table.ageColumn(),
                    wide("Containers", o -> containers(o.path("spec").path("template"), "name")),
                    wide("Images", o -> containers(o.path("spec").path("template"), "image")),
                    wide("Selector", o -> selector(o.path("spec").path("selector"))));
            case "replicasets" -> List.of(
                    new Column("Desired", "integer", "", 0, o -> o.path("spec").path("replicas").asInt(1)),
                    new Column("Current", "integer", "", 0, o -> o.path("status").path("replicas").asInt(0)),
                    new Column("Ready", "integer", "", 0, o -> o.path("status").path("readyReplicas").asInt(0)),
                    table.ageColumn(),
                    wide("Containers", o -> containers(o.path("spec").path("template"), "name")),
                    wide("Images", o -> containers(o.path("spec").path("template"), "image")),
                    wide("Selector", o -> selector(o.path("spec").path("selector"))));
            case "configmaps" -> List.of(
                    new Column("Data", "integer", "", 0, o -> o.path("data").size() + o.path("binaryData").size()),
                    table.ageColumn());
            case "namespaces" -> List.of(
                    text("Status", o -> o.path("status").path("phase").asText("Active")),
                    table.ageColumn());
            case "events" -> List.of(
                    text("Last Seen", o -> String.valueOf(table.age(lastSeen(o)))),
                    text("Type", o -> o.path("type").asText()),
                    text("Reason", o -> o.path("reason").asText()),
                    text("Object", o -> o.path("involvedObject").path("kind").asText().toLowerCase() + "/"
                            + o.path("involvedObject").path("name").asText()),
                    text("Message", o -> o.path("message").asText()));
            default -> null;
        });
    }

    private static Column text(String name, Function<JsonNode, Object> cell) {
        return new Column(name, "string", "", 0, cell);
    }

    /** A column of {@code -o wide} only (priority 1), as {@code pkg/printers/internalversion/printers.go} has it. */
    private static Column wide(String name, Function<JsonNode, Object> cell) {
        return new Column(name, "string", "", 1, cell);
    }

    private static String containers(JsonNode podTemplate, String field) {
        List<String> values = new java.util.ArrayList<>();
        podTemplate.path("spec").path("containers").forEach(c -> values.add(c.path(field).asText()));
        return String.join(",", values);
    }

    private static String selector(JsonNode selector) {
        List<String> requirements = new java.util.ArrayList<>();
        selector.path("matchLabels").fields().forEachRemaining(e -> requirements.add(e.getKey() + "=" + e.getValue().asText()));
        return requirements.isEmpty() ? "<none>" : String.join(",", requirements);
    }

    private static String readinessGates(JsonNode pod) {
        JsonNode gates = pod.path("spec").path("readinessGates");
        if (gates.isEmpty()) {
            return "<none>";
        }
        long ready = 0;
        for (JsonNode gate : gates) {
            String type = gate.path("conditionType").asText();
            for (JsonNode condition : pod.path("status").path("conditions")) {
                if (type.equals(condition.path("type").asText()) && "True".equals(condition.path("status").asText())) {
                    ready++;
                }
            }
        }
        return ready + "/" + gates.size();
    }

    private static String podReady(JsonNode pod) {
        int containers = pod.path("spec").path("containers").size();
        int ready = 0;
        for (JsonNode status : pod.path("status").path("containerStatuses")) {
            if (status.path("ready").asBoolean(false)) {
                ready++;
            }
        }
        return ready + "/" + containers;
    }

    private static String podStatus(JsonNode pod) {
        if (!pod.path("metadata").path("deletionTimestamp").isMissingNode()) {
            return "Terminating";
        }
        for (JsonNode status : pod.path("status").path("containerStatuses")) {
            JsonNode state = status.path("state");
            if (state.has("waiting") && state.path("waiting").has("reason")) {
                return state.path("waiting").path("reason").asText();
            }
            if (state.has("terminated") && state.path("terminated").has("reason")) {
                return state.path("terminated").path("reason").asText();
            }
        }
        return pod.path("status").path("phase").asText("Pending");
    }

    private static int podRestarts(JsonNode pod) {
        int restarts = 0;
        for (JsonNode status : pod.path("status").path("containerStatuses")) {
            restarts += status.path("restartCount").asInt(0);
        }
        return restarts;
    }

    private static String jobStatus(JsonNode job) {
        for (String type : List.of("Complete", "Failed", "Suspended", "FailureTarget", "SuccessCriteriaMet")) {
            for (JsonNode condition : job.path("status").path("conditions")) {
                if (type.equals(condition.path("type").asText()) && "True".equals(condition.path("status").asText())) {
                    return type.equals("FailureTarget") ? "Failing" : type.equals("SuccessCriteriaMet") ? "Complete" : type;
                }
            }
        }
        return "Running";
    }

    private String jobDuration(JsonNode job) {
        String start = job.path("status").path("startTime").asText(null);
        if (start == null) {
            return "";
        }
        String end = job.path("status").path("completionTime").asText(null);
        Instant until = end == null ? now.get() : Instant.parse(end);
        return HumanDuration.of(Duration.between(Instant.parse(start), until));
    }

    private static String lastSeen(JsonNode event) {
        for (String field : List.of("lastTimestamp", "eventTime", "firstTimestamp")) {
            String value = event.path(field).asText(null);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return event.path("metadata").path("creationTimestamp").asText(null);
    }
}
