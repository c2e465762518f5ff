package dev.modelops.sandbox.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;

/**
 * {@code kubectl auth can-i} and {@code kubectl auth whoami}: the sandbox has no authentication or authorization, so a
 * SelfSubjectAccessReview is allowed, whatever it asks, a SelfSubjectRulesReview (JOSDK's leader election asks one)
 * lists every verb on every resource, and a SelfSubjectReview names one user, {@code sandbox}, of
 * {@code system:masters}.
 */
final class AccessReviews {

    private AccessReviews() {
    }

    static boolean serves(ResourcePath path) {
        return path.isCollection() && ("selfsubjectaccessreviews".equals(path.plural())
                || "selfsubjectrulesreviews".equals(path.plural()) || "selfsubjectreviews".equals(path.plural()));
    }

    static MockResponse answer(JsonNode review) {
        ObjectNode answered = review.isObject() ? ((ObjectNode) review).deepCopy() : new ObjectNode(null);
        ObjectNode status = answered.putObject("status");
        String kind = answered.path("kind").asText();
        if ("SelfSubjectRulesReview".equals(kind)) {
            status.putArray("resourceRules").addObject().set("verbs", everything(status));
            ObjectNode rule = (ObjectNode) status.get("resourceRules").get(0);
            rule.set("apiGroups", everything(status));
            rule.set("resources", everything(status));
            ObjectNode nonResource = status.putArray("nonResourceRules").addObject();
            nonResource.set("verbs", everything(status));
            nonResource.set("nonResourceURLs", everything(status));
            status.put("incomplete", false);
        } else if ("SelfSubjectReview".equals(kind)) {
            status.putObject("userInfo").put("username", "sandbox").putArray("groups").add("system:masters")
                    .add("system:authenticated");
        } else {
            status.put("allowed", true).put("reason", "the sandbox has no authorization: every request is allowed");
        }
        return Responses.json(201, answered.toString());
    }

    private static com.fasterxml.jackson.databind.node.ArrayNode everything(ObjectNode anyNode) {
        return anyNode.arrayNode().add("*");
    }
}
