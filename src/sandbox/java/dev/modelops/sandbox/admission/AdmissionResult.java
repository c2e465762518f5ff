package dev.modelops.sandbox.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The outcome of admitting one custom resource: the object as it would be stored (pruned and defaulted) and the
 * causes of a refusal, if any.
 *
 * @param kind the kind, such as {@code ModelJob}
 * @param group the API group, such as {@code modelops.dev}
 * @param name the object's {@code metadata.name}
 * @param causes why the object is refused, in the order the API server finds them; empty when it is accepted
 * @param object the object after pruning and defaulting
 */
public record AdmissionResult(String kind, String group, String name, List<FieldError> causes, JsonNode object) {

    public AdmissionResult {
        causes = List.copyOf(causes);
    }

    public boolean allowed() {
        return causes.isEmpty();
    }

    /**
     * The message of the API server's 422 Status, such as
     * {@code ModelJob.modelops.dev "x" is invalid: spec.type: Required value}; several causes are listed in brackets,
     * each once ({@code apierrors.NewInvalid}). Meaningful only when the object is refused.
     */
    public String message() {
        Set<String> distinct = new LinkedHashSet<>();
        causes.forEach(cause -> distinct.add(cause.toString()));
        String prefix = (group.isEmpty() ? kind : kind + "." + group) + " " + GoStrings.quote(name) + " is invalid";
        if (distinct.isEmpty()) {
            return prefix;
        }
        String joined = String.join(", ", distinct);
        return prefix + ": " + (distinct.size() == 1 ? joined : "[" + joined + "]");
    }

    /** The 422 Status the API server answers with, with one cause per field error. */
    public Status toStatus() {
        List<StatusCause> statusCauses = causes.stream()
                .map(cause -> new StatusCauseBuilder()
                        .withField(cause.field())
                        .withReason(cause.type().causeType())
                        .withMessage(cause.body())
                        .build())
                .toList();
        return new StatusBuilder()
                .withStatus("Failure")
                .withCode(422)
                .withReason("Invalid")
                .withMessage(message())
                .withNewDetails()
                .withGroup(group)
                .withKind(kind)
                .withName(name)
                .withCauses(statusCauses)
                .endDetails()
                .build();
    }
}
