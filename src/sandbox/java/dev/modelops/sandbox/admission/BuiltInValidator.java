package dev.modelops.sandbox.admission;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Admits the built-in kinds other than a new Job ({@link JobValidator}) as the API server's validation does for what
 * a client can get wrong: the name ({@code ValidateObjectMeta}: an RFC 1123 subdomain, a label for namespaces),
 * label keys and values, ConfigMap keys ({@code pkg/apis/core/validation/validation.go} ValidateConfigMap), the
 * containers and images of pods and of CronJobs' pod templates, and a Job's immutable fields on update.
 */
public final class BuiltInValidator {

    private static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    private static final String CONFIG_KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' "
            + "or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
    /** Kinds whose names the API server does not hold to a DNS subdomain (events take any path segment). */
    private static final Set<String> FREE_NAMES = Set.of("Event");

    private final JobValidator jobs = new JobValidator();

    /** Whether this validator admits the kind (the built-in kinds the sandbox serves). */
    public boolean serves(String apiVersion, String kind) {
        return UnknownFields.modelOf(apiVersion, kind).isPresent();
    }

    public AdmissionResult validateCreate(JsonNode object) {
        return validate(object, null);
    }

    public AdmissionResult validateUpdate(JsonNode object, JsonNode old) {
        return validate(object, old);
    }

    private AdmissionResult validate(JsonNode object, JsonNode old) {
        String apiVersion = object.path("apiVersion").asText();
        String kind = object.path("kind").asText();
        if (jobs.serves(apiVersion, kind)) {
            return old == null ? jobs.validateCreate(object) : jobs.validateUpdate(object, old);
        }
        List<FieldError> errors = new ArrayList<>();
        JsonNode metadata = object.path("metadata");
        String name = metadata.path("name").asText("");
        if (!FREE_NAMES.contains(kind)) {
            if (kind.equals("Namespace") && !name.isEmpty()) {
                KubeFormats.dns1123Label(name).forEach(m -> errors.add(FieldError.invalid("metadata.name", name, m)));
                JobValidator.validateLabels(JobValidator.labels(metadata.path("labels")), "metadata.labels", errors::add);
            } else {
                JobValidator.validateMetadata(metadata, name, JobValidator.labels(metadata.path("labels")), errors::add);
            }
        }
        switch (kind) {
            case "ConfigMap", "Secret" -> {
                validateKeys(object.path("data"), "data", errors);
                validateKeys(object.path("binaryData"), "binaryData", errors);
            }
            case "Pod" -> JobValidator.validatePodSpec(object.path("spec"), "spec", errors::add);
            case "CronJob" -> {
                JsonNode template = object.path("spec").path("jobTemplate").path("spec").path("template");
                JobValidator.validateLabels(JobValidator.labels(template.path("metadata").path("labels")),
                        "spec.jobTemplate.spec.template.labels", errors::add);
                JobValidator.validatePodSpec(template.path("spec"), "spec.jobTemplate.spec.template.spec", errors::add);
            }
            default -> {
            }
        }
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        return new AdmissionResult(kind, group, name, errors, object);
    }

    private static void validateKeys(JsonNode data, String path, List<FieldError> errors) {
        for (Map.Entry<String, JsonNode> entry : (Iterable<Map.Entry<String, JsonNode>>) data::fields) {
            String key = entry.getKey();
            String field = path + "[" + key + "]";
            if (key.length() > 253) {
                errors.add(FieldError.invalid(field, key, "must be no more than 253 characters"));
            }
            if (!CONFIG_KEY.matcher(key).matches()) {
                errors.add(FieldError.invalid(field, key, CONFIG_KEY_MSG));
            }
            if (key.equals(".")) {
                errors.add(FieldError.invalid(field, key, "must not be '.'"));
            } else if (key.equals("..")) {
                errors.add(FieldError.invalid(field, key, "must not be '..'"));
            } else if (key.startsWith("..")) {
                errors.add(FieldError.invalid(field, key, "must not start with '..'"));
            }
        }
    }
}
