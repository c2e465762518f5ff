package dev.modelops.sandbox.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.IOException;

/**
 * The object a create or replace sends: JSON, or Kubernetes protobuf for the kinds {@link ProtobufBodies} reads;
 * anything else is the API server's 415.
 */
final class RequestBodies {

    static final String PROTOBUF = "application/vnd.kubernetes.protobuf";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A body the server cannot read, and its answer. */
    static final class UnreadableBody extends Exception {
        private final transient MockResponse response;

        UnreadableBody(MockResponse response) {
            super(response.getBody() == null ? "" : "unreadable body");
            this.response = response;
        }

        MockResponse response() {
            return response;
        }
    }

    private RequestBodies() {
    }

    static JsonNode read(RecordedRequest request) throws UnreadableBody {
        String contentType = request.getHeader("Content-Type");
        if (contentType != null && contentType.startsWith(PROTOBUF)) {
            return ProtobufBodies.read(request.getBody().getBytes()).orElseThrow(() -> new UnreadableBody(
                    Responses.unsupportedMediaType("the sandbox reads protobuf bodies of Namespaces, ConfigMaps, "
                            + "Secrets, Jobs, CronJobs, Pods, Events and access reviews only; send this one as "
                            + "application/json")));
        }
        try {
            return JSON.readTree(request.getUtf8Body());
        } catch (IOException e) {
            throw new UnreadableBody(Responses.badRequest("the body is not valid JSON: " + e.getMessage()));
        }
    }
}
