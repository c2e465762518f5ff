package dev.modelops.sandbox.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelops.sandbox.admission.AdmissionResult;
import dev.modelops.sandbox.admission.BuiltInValidator;
import dev.modelops.sandbox.admission.CustomResourceValidator;
import dev.modelops.sandbox.admission.JobValidator;
import dev.modelops.sandbox.admission.UnknownFields;
import io.fabric8.zjsonpatch.JsonDiff;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Admission as the API server does it for custom resources: schema (defaults applied, unknown fields pruned) and
 * CEL rules, with {@code oldSelf} on update. The built-in kinds the sandbox serves are checked too
 * ({@link BuiltInValidator}: names, labels, ConfigMap keys, containers and images, a Job's immutable fields). A
 * refused request gets the API server's 422 (400 for a Job it could not read) and nothing is stored.
 */
final class AdmissionControl {

    /** The object to store, or the refusal to send back. */
    record Decision(JsonNode admitted, MockResponse refusal) {
        boolean refused() {
            return refusal != null;
        }
    }

    private final CustomResourceValidator validator;
    private final JobValidator jobs = new JobValidator();
    private final BuiltInValidator builtIn = new BuiltInValidator();

    AdmissionControl(CustomResourceValidator validator) {
        this.validator = validator;
    }

    /** Whether a create of this object is admitted here; others are stored as sent. */
    boolean governsCreate(JsonNode object) {
        return isCustomResource(object) || isBuiltIn(object);
    }

    /** Whether an update of this object is admitted here; others are stored as sent. */
    boolean governsUpdate(JsonNode object) {
        return isCustomResource(object) || isBuiltIn(object);
    }

    Decision create(JsonNode object) {
        if (isJob(object)) {
            Optional<String> unreadable = jobs.decodeError(object);
            if (unreadable.isPresent()) {
                return new Decision(null, Responses.badRequest(unreadable.get()));
            }
        }
        return decide(isBuiltIn(object) ? builtIn.validateCreate(object) : validator.validateCreate(object));
    }

    Decision update(JsonNode object, JsonNode old) {
        return decide(isBuiltIn(object) ? builtIn.validateUpdate(object, old) : validator.validateUpdate(object, old));
    }

    /**
     * The fields of the sent object that its kind does not declare: for a built-in kind by its model, for a custom
     * resource those that admission pruned from it ({@code admitted}).
     */
    List<String> unknownFields(JsonNode sent, JsonNode admitted) {
        var model = UnknownFields.modelOf(sent.path("apiVersion").asText(), sent.path("kind").asText());
        if (model.isPresent()) {
            return UnknownFields.of(sent, model.get());
        }
        if (admitted == null || !isCustomResource(sent)) {
            return List.of();
        }
        List<String> pruned = new ArrayList<>();
        for (JsonNode operation : JsonDiff.asJson(sent, admitted)) {
            if ("remove".equals(operation.path("op").asText())) {
                pruned.add(operation.path("path").asText().substring(1).replaceAll("/(\\d+)(?=/|$)", "[$1]")
                        .replace('/', '.'));
            }
        }
        return pruned;
    }

    boolean isCustomResource(JsonNode object) {
        return object != null && object.isObject()
                && validator.serves(object.path("apiVersion").asText(), object.path("kind").asText());
    }

    private boolean isBuiltIn(JsonNode object) {
        return object != null && object.isObject()
                && builtIn.serves(object.path("apiVersion").asText(), object.path("kind").asText());
    }

    private boolean isJob(JsonNode object) {
        return object != null && object.isObject()
                && jobs.serves(object.path("apiVersion").asText(), object.path("kind").asText());
    }

    private static Decision decide(AdmissionResult result) {
        if (result.allowed()) {
            return new Decision(result.object(), null);
        }
        return new Decision(null, Responses.json(422, Serialization.asJson(result.toStatus())));
    }
}
