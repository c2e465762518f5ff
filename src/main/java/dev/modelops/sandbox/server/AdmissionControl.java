package dev.modelops.sandbox.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelops.sandbox.admission.AdmissionResult;
import dev.modelops.sandbox.admission.CustomResourceValidator;
import dev.modelops.sandbox.admission.JobValidator;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;

import java.util.Optional;

/**
 * Admission as the API server does it for custom resources: schema (defaults applied, unknown fields pruned) and
 * CEL rules, with {@code oldSelf} on update. New batch/v1 Jobs are checked too, because an operator builds them from
 * its users' templates; their updates are stored as sent. A refused request gets the API server's 422 (400 for a Job
 * it could not read) and nothing is stored.
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

    AdmissionControl(CustomResourceValidator validator) {
        this.validator = validator;
    }

    /** Whether a create of this object is admitted here; others are stored as sent. */
    boolean governsCreate(JsonNode object) {
        return isCustomResource(object) || isJob(object);
    }

    /** Whether an update of this object is admitted here; others are stored as sent. */
    boolean governsUpdate(JsonNode object) {
        return isCustomResource(object);
    }

    Decision create(JsonNode object) {
        if (isJob(object)) {
            Optional<String> unreadable = jobs.decodeError(object);
            if (unreadable.isPresent()) {
                return new Decision(null, Responses.badRequest(unreadable.get()));
            }
            return decide(jobs.validateCreate(object));
        }
        return decide(validator.validateCreate(object));
    }

    Decision update(JsonNode object, JsonNode old) {
        return decide(validator.validateUpdate(object, old));
    }

    private boolean isCustomResource(JsonNode object) {
        return object != null && object.isObject()
                && validator.serves(object.path("apiVersion").asText(), object.path("kind").asText());
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
