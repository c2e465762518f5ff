package dev.modelops.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** One observed fact about the resource, in the shape of Kubernetes conditions, so that kubectl wait --for=condition=<type> works. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {

    @Required
    @JsonPropertyDescription("Type of the condition in CamelCase, for example Complete or Ready.")
    private String type;

    @Required
    @JsonPropertyDescription("Whether the condition holds: True, False or Unknown.")
    private ConditionStatus status;

    @Required
    @JsonPropertyDescription("Machine-readable reason in CamelCase for the last transition.")
    private String reason;

    @JsonPropertyDescription("Human-readable details of the last transition.")
    private String message;

    @Required
    @JsonPropertyDescription("When the status last changed from one value to another (RFC 3339).")
    private String lastTransitionTime;

    @JsonPropertyDescription("The metadata.generation of the resource that the condition was computed from.")
    private Long observedGeneration;

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public ConditionStatus getStatus() {
        return status;
    }

    public void setStatus(ConditionStatus status) {
        this.status = status;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getLastTransitionTime() {
        return lastTransitionTime;
    }

    public void setLastTransitionTime(String lastTransitionTime) {
        this.lastTransitionTime = lastTransitionTime;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }
}
