package dev.modelops.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One step in the life of a resource, kept in status so that it survives the expiry of Kubernetes Events. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TimelineEntry {

    @JsonPropertyDescription("When it happened (RFC 3339).")
    private String time;

    @JsonPropertyDescription("Normal, or Warning for failures and refusals.")
    private EventType type;

    @JsonPropertyDescription("What happened, in CamelCase, for example JobCreated or Succeeded; the same reason as the Kubernetes Event.")
    private String reason;

    @JsonPropertyDescription("Human-readable details.")
    private String message;

    public String getTime() {
        return time;
    }

    public void setTime(String time) {
        this.time = time;
    }

    public EventType getType() {
        return type;
    }

    public void setType(EventType type) {
        this.type = type;
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
}
