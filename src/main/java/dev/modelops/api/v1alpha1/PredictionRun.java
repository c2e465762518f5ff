package dev.modelops.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One run of a BatchPrediction, recorded as a ModelJob of type BatchPrediction. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PredictionRun {

    @JsonPropertyDescription("The ModelJob of the run.")
    private String modelJob;

    @JsonPropertyDescription("Phase of the run.")
    private JobPhase phase;

    @JsonPropertyDescription("When the run started (RFC 3339).")
    private String startTime;

    @JsonPropertyDescription("When the run ended (RFC 3339).")
    private String completionTime;

    @JsonPropertyDescription("What the run reported.")
    private JobResult result;

    @JsonPropertyDescription("The ModelVersion the run scored with.")
    private String modelVersion;

    public String getModelJob() {
        return modelJob;
    }

    public void setModelJob(String modelJob) {
        this.modelJob = modelJob;
    }

    public JobPhase getPhase() {
        return phase;
    }

    public void setPhase(JobPhase phase) {
        this.phase = phase;
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

    public String getModelVersion() {
        return modelVersion;
    }

    public void setModelVersion(String modelVersion) {
        this.modelVersion = modelVersion;
    }
}
