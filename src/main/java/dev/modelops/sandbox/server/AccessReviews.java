package dev.modelops.sandbox.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;

/**
 * {@code kubectl auth can-i} and {@code kubectl auth whoami}: the sandbox has no authentication or authorization, so a
 * SelfSubjectAccessReview is allowed, whatever it asks, and a SelfSubjectReview names one user, {@code sandbox}, of
 * {@code system:masters}.
 */
final class AccessReviews {

    private AccessReviews() {
    }

    static boolean serves(ResourcePath path) {
        return path.isCollection() && ("selfsubjectaccessreviews".equals(path.plural())
                || "selfsubjectreviews".equals(path.plural()));
    }

    static MockResponse answer(JsonNode review) {
        ObjectNode answered = review.isObject() ? ((ObjectNode) review).deepCopy() : new ObjectNode(null);
        ObjectNode status = answered.putObject("status");
        if ("SelfSubjectReview".equals(answered.path("kind").asText())) {
            status.putObject("userInfo").put("username", "sandbox").putArray("groups").add("system:masters")
                    .add("system:authenticated");
        } else {
            status.put("allowed", true).put("reason", "the sandbox has no authorization: every request is allowed");
        }
        return Responses.json(201, answered.toString());
    }
}
