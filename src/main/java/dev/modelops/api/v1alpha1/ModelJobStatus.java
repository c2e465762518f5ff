package dev.modelops.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** What the operator observed of a ModelJob. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelJobStatus {

    @JsonPropertyDescription("Pending, Running, Succeeded, Failed or Cancelled.")
    private JobPhase phase;

    @JsonPropertyDescription("Started, Complete, Failed and Cancelled, so that kubectl wait --for=condition=Complete works.")
    private List<Condition> conditions;

    @JsonPropertyDescription("The metadata.generation that this status was computed from.")
    private Long observedGeneration;

    @JsonPropertyDescription("The batch/v1 Job that runs the step, owned by the ModelJob; kubectl logs job/<jobName>.")
    private String jobName;

    @JsonPropertyDescription("Pods the Job created, for kubectl logs pod/<name>.")
    private List<String> podNames;

    @JsonPropertyDescription("When the job started running (RFC 3339).")
    private String startTime;

    @JsonPropertyDescription("When the job reached a final phase (RFC 3339).")
    private String completionTime;

    @JsonPropertyDescription("The result the container reported.")
    private JobResult result;

    @JsonPropertyDescription("Human-readable outcome; on failure the container's reason and its last log lines.")
    private String message;

    @JsonPropertyDescription("Bounded history of the job from creation to completion; each entry was also emitted as an Event.")
    private List<TimelineEntry> timeline;

    @JsonPropertyDescription("Where the logs are kept after the job ends.")
    private LogsRef logs;

    @JsonPropertyDescription("The user who created the ModelJob, as the API server authenticated it. Empty until the operator's admission webhook is installed.")
    private String requestedBy;

    @JsonPropertyDescription("The user who set spec.stop. Empty until the operator's admission webhook is installed.")
    private String stoppedBy;

    public JobPhase getPhase() {
        return phase;
    }

    public void setPhase(JobPhase phase) {
        this.phase = phase;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public String getJobName() {
        return jobName;
    }

    public void setJobName(String jobName) {
        this.jobName = jobName;
    }

    public List<String> getPodNames() {
        return podNames;
    }

    public void setPodNames(List<String> podNames) {
        this.podNames = podNames;
    }

    public String getStartTime() {
        return startTime;
    }

    public void setStartTime(String startTime) {
        this.startTime = startTime;
    }

    public String getCompletionTime() {
        return completionTime;
    }

    public void setCompletionTime(String completionTime) {
        this.completionTime = completionTime;
    }

    public JobResult getResult() {
        return result;
    }

    public void setResult(JobResult result) {
        this.result = result;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public List<TimelineEntry> getTimeline() {
        return timeline;
    }

    public void setTimeline(List<TimelineEntry> timeline) {
        this.timeline = timeline;
    }

    public LogsRef getLogs() {
        return logs;
    }

    public void setLogs(LogsRef logs) {
        this.logs = logs;
    }

    public String getRequestedBy() {
        return requestedBy;
    }

    public void setRequestedBy(String requestedBy) {
        this.requestedBy = requestedBy;
    }

    public String getStoppedBy() {
        return stoppedBy;
    }

    public void setStoppedBy(String stoppedBy) {
        this.stoppedBy = stoppedBy;
    }
}
