package dev.modelops.sandbox.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelops.sandbox.admission.BuiltInDefaults;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.io.IOException;

/** A new batch/v1 Job as the store keeps it: with the selector and labels generated from its uid. */
final class JobCreates {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JobCreates() {
    }

    static boolean isJob(GenericKubernetesResource resource, String state) {
        if (resource != null) {
            return "batch/v1".equals(resource.getApiVersion()) && "Job".equals(resource.getKind());
        }
        return state.contains("\"Job\"") && state.contains("\"batch/v1\"");
    }

    static String withSelector(String state) {
        try {
            JsonNode job = JSON.readTree(state);
            if (!(job instanceof ObjectNode o) || !"Job".equals(o.path("kind").asText())) {
                return state;
            }
            return BuiltInDefaults.jobSelector(o, o.path("metadata").path("uid").asText()) ? o.toString() : state;
        } catch (IOException e) {
            return state;
        }
    }
}
