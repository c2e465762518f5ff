package dev.modelops.sandbox.server;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;

/** Responses shaped as the API server's ({@code staging/src/k8s.io/apimachinery/pkg/api/errors/errors.go}). */
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

    /** {@code NewNotFound}: {@code modeljobs.modelops.dev "x" not found}. */
    static MockResponse notFound(ResourcePath path, String name) {
        return status(404, "NotFound", path.qualifiedResource() + " \"" + name + "\" not found", path, name);
    }

    /** {@code NewAlreadyExists}: {@code jobs.batch "x" already exists}. */
    static MockResponse alreadyExists(ResourcePath path, String name) {
        return status(409, "AlreadyExists", path.qualifiedResource() + " \"" + name + "\" already exists", path, name);
    }

    /** {@code NewConflict}: {@code Operation cannot be fulfilled on jobs.batch "x": <why>}. */
    static MockResponse conflict(ResourcePath path, String name, String why) {
        return status(409, "Conflict", "Operation cannot be fulfilled on " + path.qualifiedResource() + " \"" + name
                + "\": " + why, path, name);
    }

    /** {@code registry/generic/registry/store.go}: the object changed since the client read it. */
    static MockResponse modified(ResourcePath path, String name) {
        return conflict(path, name, "the object has been modified; please apply your changes to the latest version "
                + "and try again");
    }

    static MockResponse badRequest(String message) {
        return status(400, "BadRequest", message);
    }

    static MockResponse unsupportedMediaType(String message) {
        return status(415, "UnsupportedMediaType", message);
    }

    static MockResponse status(int code, String reason, String message) {
        Status status = new StatusBuilder().withStatus("Failure").withReason(reason).withCode(code)
                .withMessage(message).build();
        return json(code, Serialization.asJson(status));
    }

    private static MockResponse status(int code, String reason, String message, ResourcePath path, String name) {
        Status status = new StatusBuilder().withStatus("Failure").withReason(reason).withCode(code)
                .withMessage(message).withNewDetails().withName(name).withGroup(path.group()).withKind(path.plural())
                .endDetails().build();
        return json(code, Serialization.asJson(status));
    }
}
