package dev.modelops.sandbox.server;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;

/** Responses shaped as the API server's. */
final class Responses {

    private Responses() {
    }

    static MockResponse json(int code, String body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
    }

    static MockResponse json(Object document) {
        return json(200, Serialization.asJson(document));
    }

    static MockResponse text(String body) {
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/plain; charset=utf-8")
                .setBody(body);
    }

    static MockResponse notFound(String message) {
        return status(404, "NotFound", message);
    }

    static MockResponse badRequest(String message) {
        return status(400, "BadRequest", message);
    }

    static MockResponse status(int code, String reason, String message) {
        Status status = new StatusBuilder().withStatus("Failure").withReason(reason).withCode(code)
                .withMessage(message).build();
        return json(code, Serialization.asJson(status));
    }
}
