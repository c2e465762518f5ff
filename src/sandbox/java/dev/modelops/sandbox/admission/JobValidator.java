package dev.modelops.sandbox.admission;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Admits a new batch/v1 Job as a Kubernetes 1.34 API server does, so that the sandbox refuses the Jobs an operator
 * builds wrong from a user's template, with the API server's words. It checks the Job as the API server sees it after
 * defaulting: the restart policy defaults to {@code Always}, the pod template gets the {@code job-name} labels (so a
 * name of more than 63 characters is refused there), and a Job without labels takes its template's, generated ones
 * included. Where Go walks a map (labels, resources) the errors come in document order, not Go's random one.
 *
 * <p>Checked: the name, label keys and values, that there are containers, container names, images (required), env
 * var names, negative counts, resource quantities (negative, request above limit, whole extended resources) and the
 * restart policy. Not checked: updates, annotations, resource names, volumes, ports, probes, security contexts,
 * selectors, pod failure and success policies, indexed jobs.
 */
public final class JobValidator {

    private static final String API_VERSION = "batch/v1";
    private static final String KIND = "Job";
    private static final String GROUP = "batch";
    private static final List<String> JOB_NAME_LABELS = List.of("batch.kubernetes.io/job-name", "job-name");
    private static final List<String> NON_NEGATIVE = List.of("parallelism", "completions", "activeDeadlineSeconds",
            "backoffLimit", "ttlSecondsAfterFinished");
    private static final String NEGATIVE = "must be greater than or equal to 0";
    private static final Set<String> POD_RESTART_POLICIES = Set.of("Always", "OnFailure", "Never");

    public boolean serves(String apiVersion, String kind) {
        return API_VERSION.equals(apiVersion) && KIND.equals(kind);
    }

    /**
     * Why the API server could not even read the Job, as its 400 says: {@code Job in version "v1" cannot be handled as
     * a Job: quantities must match the regular expression ...}, for the first resource quantity that does not parse.
     * Empty when the Job reads.
     */
    public Optional<String> decodeError(JsonNode job) {
        return firstUnreadableQuantity(job.path("spec").path("template").path("spec")).map(error -> KIND
                + " in version " + GoStrings.quote(version(job.path("apiVersion").asText())) + " cannot be handled as a "
                + KIND + ": " + error);
    }

    /** Admits a Job on create; the admitted object is the Job as sent, nothing defaulted into it. */
    public AdmissionResult validateCreate(JsonNode job) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode metadata = job.path("metadata");
        String name = metadata.path("name").asText("");
        JsonNode spec = job.path("spec");
        JsonNode templateLabels = spec.path("template").path("metadata").path("labels");
        Map<String, String> podLabels = labels(templateLabels);
        if (!spec.path("manualSelector").asBoolean(false) && !name.isEmpty()) {
            JOB_NAME_LABELS.forEach(label -> podLabels.putIfAbsent(label, name));
        }
        Map<String, String> jobLabels = labels(metadata.path("labels"));
        if (jobLabels.isEmpty() && templateLabels.isObject()) {
            jobLabels = podLabels;
        }
        validateMetadata(metadata, name, jobLabels, errors::add);
        validateSpec(spec, podLabels, errors::add);
        return new AdmissionResult(KIND, GROUP, name, errors, job);
    }

    static void validateMetadata(JsonNode metadata, String name, Map<String, String> labels,
            Consumer<FieldError> errors) {
        String generateName = metadata.path("generateName").asText("");
        if (!generateName.isEmpty()) {
            KubeFormats.dns1123Subdomain(maskTrailingDash(generateName))
                    .forEach(message -> errors.accept(FieldError.invalid("metadata.generateName", generateName, message)));
        }
        if (name.isEmpty()) {
            if (generateName.isEmpty()) {
                errors.accept(FieldError.required("metadata.name", "name or generateName is required"));
            }
        } else {
            KubeFormats.dns1123Subdomain(name)
                    .forEach(message -> errors.accept(FieldError.invalid("metadata.name", name, message)));
        }
        validateLabels(labels, "metadata.labels", errors);
    }

    /**
     * Admits a changed Job as {@code pkg/apis/batch/validation/validation.go} ValidateJobUpdate does for what an
     * operator could change by mistake: the pod template, {@code completions}, {@code completionMode} and the
     * selector are immutable ({@code field is immutable}).
     */
    public AdmissionResult validateUpdate(JsonNode job, JsonNode old) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode spec = job.path("spec");
        JsonNode oldSpec = old.path("spec");
        for (String field : List.of("selector", "template", "completions", "completionMode")) {
            boolean bothSet = isSet(spec.path(field)) && isSet(oldSpec.path(field));
            if (field.equals("selector") || field.equals("template") ? bothSet && !spec.path(field).equals(oldSpec.path(field))
                    : !spec.path(field).equals(oldSpec.path(field)) && (bothSet || isSet(oldSpec.path(field)))) {
                Object value = spec.path(field).isIntegralNumber() ? (Object) spec.path(field).asLong()
                        : spec.path(field).isTextual() ? spec.path(field).asText() : FieldError.OMIT_VALUE;
                errors.add(FieldError.invalid("spec." + field, value, "field is immutable"));
            }
        }
        return new AdmissionResult(KIND, GROUP, job.path("metadata").path("name").asText(""), errors, job);
    }

    private static void validateSpec(JsonNode spec, Map<String, String> podLabels, Consumer<FieldError> errors) {
        for (String field : NON_NEGATIVE) {
            JsonNode value = spec.path(field);
            if (value.isIntegralNumber() && value.asLong() < 0) {
                errors.accept(FieldError.invalid("spec." + field, value.asLong(), NEGATIVE));
            }
        }
        validateLabels(podLabels, "spec.template.labels", errors);
        String restartPolicy = validatePodSpec(spec.path("template").path("spec"), "spec.template.spec", errors);
        String restartPolicyPath = "spec.template.spec.restartPolicy";
        if (restartPolicy.equals("Always")) {
            errors.accept(FieldError.required(restartPolicyPath, "valid values: \"OnFailure\", \"Never\""));
        } else if (!restartPolicy.equals("OnFailure") && !restartPolicy.equals("Never")) {
            errors.accept(new FieldError(FieldErrorType.NOT_SUPPORTED, restartPolicyPath, restartPolicy,
                    "supported values: \"OnFailure\", \"Never\""));
        } else if (isSet(spec.path("podFailurePolicy")) && !restartPolicy.equals("Never")) {
            errors.accept(FieldError.invalid(restartPolicyPath, restartPolicy,
                    "only \"Never\" is supported when podFailurePolicy is specified"));
        }
    }

    /** Checks the pod template's spec and answers its restart policy, {@code Always} when it has none. */
    static String validatePodSpec(JsonNode podSpec, String path, Consumer<FieldError> errors) {
        JsonNode containers = podSpec.path("containers");
        String containersPath = FieldPaths.child(path, "containers");
        Set<String> names = new HashSet<>();
        if (!containers.isArray() || containers.isEmpty()) {
            errors.accept(FieldError.required(containersPath, ""));
        } else {
            for (int i = 0; i < containers.size(); i++) {
                String containerPath = FieldPaths.index(containersPath, i);
                String name = validateContainer(containers.get(i), containerPath, errors);
                if (!names.add(name)) {
                    errors.accept(duplicate(FieldPaths.child(containerPath, "name"), name));
                }
            }
        }
        JsonNode initContainers = podSpec.path("initContainers");
        for (int i = 0; i < initContainers.size(); i++) {
            String containerPath = FieldPaths.index(FieldPaths.child(path, "initContainers"), i);
            String name = validateContainer(initContainers.get(i), containerPath, errors);
            if (names.contains(name)) {
                errors.accept(duplicate(FieldPaths.child(containerPath, "name"), name));
            } else if (!name.isEmpty()) {
                names.add(name);
            }
        }
        String restartPolicy = podSpec.path("restartPolicy").asText("");
        if (restartPolicy.isEmpty()) {
            return "Always";
        }
        if (!POD_RESTART_POLICIES.contains(restartPolicy)) {
            errors.accept(new FieldError(FieldErrorType.NOT_SUPPORTED, FieldPaths.child(path, "restartPolicy"),
                    restartPolicy, "supported values: \"Always\", \"OnFailure\", \"Never\""));
        }
        return restartPolicy;
    }

    /** Checks one container and answers its name. */
    private static String validateContainer(JsonNode container, String path, Consumer<FieldError> errors) {
        String name = container.path("name").asText("");
        String namePath = FieldPaths.child(path, "name");
        if (name.isEmpty()) {
            errors.accept(FieldError.required(namePath, ""));
        } else {
            KubeFormats.dns1123Label(name).forEach(message -> errors.accept(FieldError.invalid(namePath, name, message)));
        }
        if (container.path("image").asText("").isEmpty()) {
            errors.accept(FieldError.required(FieldPaths.child(path, "image"), ""));
        }
        JsonNode env = container.path("env");
        for (int i = 0; i < env.size(); i++) {
            String envName = env.get(i).path("name").asText("");
            String envNamePath = FieldPaths.child(FieldPaths.index(FieldPaths.child(path, "env"), i), "name");
            if (envName.isEmpty()) {
                errors.accept(FieldError.required(envNamePath, ""));
            } else {
                KubeFormats.relaxedEnvVarName(envName)
                        .forEach(message -> errors.accept(FieldError.invalid(envNamePath, envName, message)));
            }
        }
        validateResources(container.path("resources"), FieldPaths.child(path, "resources"), errors);
        return name;
    }

    private static void validateResources(JsonNode resources, String path, Consumer<FieldError> errors) {
        String limitsPath = FieldPaths.child(path, "limits");
        String requestsPath = FieldPaths.child(path, "requests");
        Map<String, ResourceQuantity> limits = quantities(resources.path("limits"));
        limits.forEach((resource, quantity) ->
                validateQuantity(resource, quantity, FieldPaths.key(limitsPath, resource), errors));
        quantities(resources.path("requests")).forEach((resource, quantity) -> {
            validateQuantity(resource, quantity, FieldPaths.key(requestsPath, resource), errors);
            ResourceQuantity limit = limits.get(resource);
            if (limit != null) {
                if (quantity.compareTo(limit) != 0 && !overcommitAllowed(resource)) {
                    errors.accept(FieldError.invalid(requestsPath, quantity.toString(),
                            "must be equal to " + resource + " limit of " + limit));
                } else if (quantity.compareTo(limit) > 0) {
                    errors.accept(FieldError.invalid(requestsPath, quantity.toString(),
                            "must be less than or equal to " + resource + " limit of " + limit));
                }
            } else if (!overcommitAllowed(resource)) {
                errors.accept(FieldError.required(limitsPath, "Limit must be set for non overcommitable resources"));
            }
        });
    }

    private static void validateQuantity(String resource, ResourceQuantity quantity, String path,
            Consumer<FieldError> errors) {
        if (quantity.signum() < 0) {
            errors.accept(FieldError.invalid(path, quantity.toString(), NEGATIVE));
        }
        if (isExtendedResource(resource) && !quantity.isInteger()) {
            errors.accept(FieldError.invalid(path, quantity.toString(), "must be an integer"));
        }
    }

    static void validateLabels(Map<String, String> labels, String path, Consumer<FieldError> errors) {
        labels.forEach((key, value) -> {
            KubeFormats.qualifiedName(key).forEach(message -> errors.accept(FieldError.invalid(path, key, message)));
            KubeFormats.labelValue(value).forEach(message -> errors.accept(FieldError.invalid(path, value, message)));
        });
    }

    /** The quantities that read; one that does not is {@link #decodeError}'s to report. */
    private static Map<String, ResourceQuantity> quantities(JsonNode list) {
        Map<String, ResourceQuantity> quantities = new LinkedHashMap<>();
        list.fields().forEachRemaining(entry -> {
            if (isSet(entry.getValue())) {
                try {
                    quantities.put(entry.getKey(), ResourceQuantity.parse(quantityText(entry.getValue())));
                } catch (IllegalArgumentException e) {
                    // refused when the Job is decoded
                }
            }
        });
        return quantities;
    }

    /** The first quantity of the pod spec, in document order as the API server decodes it, that does not parse. */
    private static Optional<String> firstUnreadableQuantity(JsonNode podSpec) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = podSpec.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            Optional<String> error = switch (field.getKey()) {
                case "containers", "initContainers" -> firstInEach(field.getValue(),
                        container -> unreadable(container.path("resources")));
                case "resources" -> unreadable(field.getValue());
                case "overhead" -> firstUnreadable(field.getValue());
                case "volumes" -> firstInEach(field.getValue(),
                        volume -> unreadableQuantity(volume.path("emptyDir").path("sizeLimit")));
                default -> Optional.empty();
            };
            if (error.isPresent()) {
                return error;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> firstInEach(JsonNode array, Function<JsonNode, Optional<String>> check) {
        for (JsonNode element : array) {
            Optional<String> error = check.apply(element);
            if (error.isPresent()) {
                return error;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> unreadable(JsonNode resources) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = resources.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals("limits") || field.getKey().equals("requests")) {
                Optional<String> error = firstUnreadable(field.getValue());
                if (error.isPresent()) {
                    return error;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> firstUnreadable(JsonNode quantities) {
        for (JsonNode quantity : quantities) {
            Optional<String> error = unreadableQuantity(quantity);
            if (error.isPresent()) {
                return error;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> unreadableQuantity(JsonNode quantity) {
        if (!isSet(quantity)) {
            return Optional.empty();
        }
        try {
            ResourceQuantity.parse(quantityText(quantity));
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** What Go's {@code Quantity.UnmarshalJSON} parses: a string without its quotes and spaces, else the JSON text. */
    private static String quantityText(JsonNode quantity) {
        return quantity.isTextual() ? quantity.asText().strip() : quantity.isNumber() ? quantity.asText()
                : quantity.toString();
    }

    static Map<String, String> labels(JsonNode labels) {
        Map<String, String> map = new LinkedHashMap<>();
        labels.fields().forEachRemaining(entry -> map.put(entry.getKey(), entry.getValue().asText("")));
        return map;
    }

    private static FieldError duplicate(String path, String value) {
        return new FieldError(FieldErrorType.DUPLICATE, path, value, "");
    }

    /** Go's {@code maskTrailingDash}, which drops the character before the dash too. */
    private static String maskTrailingDash(String name) {
        return name.length() > 1 && name.endsWith("-") ? name.substring(0, name.length() - 2) + "a" : name;
    }

    /** Cpu, memory and ephemeral storage may be requested below their limit; huge pages and extended resources not. */
    private static boolean overcommitAllowed(String resource) {
        return isNative(resource) && !resource.startsWith("hugepages-");
    }

    private static boolean isNative(String resource) {
        return !resource.contains("/") || resource.contains("kubernetes.io/");
    }

    private static boolean isExtendedResource(String resource) {
        return !isNative(resource) && !resource.startsWith("requests.")
                && KubeFormats.qualifiedName("requests." + resource).isEmpty();
    }

    private static boolean isSet(JsonNode node) {
        return !node.isMissingNode() && !node.isNull();
    }

    private static String version(String apiVersion) {
        return apiVersion.substring(apiVersion.indexOf('/') + 1);
    }
}
