package dev.modelops.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The recorded approval decision. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApprovalRecord {

    @JsonPropertyDescription("Approved or Rejected.")
    private Decision decision;

    @JsonPropertyDescription("Why, as given in the Approve or Reject job or by the gates.")
    private String reason;

    @JsonPropertyDescription("The ModelJob that recorded the decision.")
    private String job;

    @JsonPropertyDescription("When the decision was recorded (RFC 3339).")
    private String time;

    @JsonPropertyDescription("Who decided, as the API server authenticated them. Empty until the operator's admission webhook is installed.")
    private String by;

    public Decision getDecision() {
        return decision;
    }

    public void setDecision(Decision decision) {
        this.decision = decision;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getJob() {
        return job;
    }

    public void setJob(String job) {
        this.job = job;
    }

    public String getTime() {
        return time;
    }

    public void setTime(String time) {
        this.time = time;
    }

    public String getBy() {
        return by;
    }

    public void setBy(String by) {
        this.by = by;
    }
}
