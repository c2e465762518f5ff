package dev.modelops.sandbox.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelops.sandbox.admission.AdmissionResult;
import dev.modelops.sandbox.admission.CustomResourceValidator;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;

/**
 * Admission as the API server does it for custom resources: schema (defaults applied, unknown fields pruned) and
 * CEL rules, with {@code oldSelf} on update. A refused request gets the API server's 422 and nothing is stored.
 */
final class AdmissionControl {

    /** The object to store, or the refusal to send back. */
    record Decision(JsonNode admitted, MockResponse refusal) {
        boolean refused() {
            return refusal != null;
        }
    }

    private final CustomResourceValidator validator;

    AdmissionControl(CustomResourceValidator validator) {
        this.validator = validator;
    }

    boolean governs(JsonNode object) {
        return object != null && object.isObject()
                && validator.serves(object.path("apiVersion").asText(), object.path("kind").asText());
    }

    Decision create(JsonNode object) {
        return decide(validator.validateCreate(object));
    }

    Decision update(JsonNode object, JsonNode old) {
        return decide(validator.validateUpdate(object, old));
    }

    private static Decision decide(AdmissionResult result) {
        if (result.allowed()) {
            return new Decision(result.object(), null);
        }
        return new Decision(null, Responses.json(422, Serialization.asJson(result.toStatus())));
    }
}
