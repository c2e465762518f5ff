package dev.modelops.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** What the operator observed of a BatchPrediction. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BatchPredictionStatus {

    @JsonPropertyDescription("The batch/v1 CronJob that starts the scheduled runs, owned by the BatchPrediction.")
    private String cronJobName;

    @JsonPropertyDescription("The ModelVersion it scores with now.")
    private String modelVersion;

    @JsonPropertyDescription("When a run was last started (RFC 3339).")
    private String lastScheduleTime;

    @JsonPropertyDescription("When a run last succeeded (RFC 3339).")
    private String lastSuccessfulTime;

    @JsonPropertyDescription("The last value of the modelops.dev/run-now annotation that started a run; each value starts exactly one run.")
    private String lastRunNow;

    @JsonPropertyDescription("Recent runs, newest first, bounded by the history limits.")
    private List<PredictionRun> runs;

    @JsonPropertyDescription("Ready and Suspended.")
    private List<Condition> conditions;

    @JsonPropertyDescription("The metadata.generation that this status was computed from.")
    private Long observedGeneration;

    @JsonPropertyDescription("Human-readable summary, for example why it is not Ready.")
    private String message;

    @JsonPropertyDescription("When the next scheduled run is due (RFC 3339), in the schedule's time zone.")
    private String nextScheduleTime;

    @JsonPropertyDescription("Scheduled times at which no run started: the operator or cluster was down, Forbid held it back, or startingDeadlineSeconds passed.")
    private MissedRuns missedRuns;

    public String getCronJobName() {
        return cronJobName;
    }

    public void setCronJobName(String cronJobName) {
        this.cronJobName = cronJobName;
    }

    public String getModelVersion() {
        return modelVersion;
    }

    public void setModelVersion(String modelVersion) {
        this.modelVersion = modelVersion;
    }

    public String getLastScheduleTime() {
        return lastScheduleTime;
    }

    public void setLastScheduleTime(String lastScheduleTime) {
        this.lastScheduleTime = lastScheduleTime;
    }

    public String getLastSuccessfulTime() {
        return lastSuccessfulTime;
    }

    public void setLastSuccessfulTime(String lastSuccessfulTime) {
        this.lastSuccessfulTime = lastSuccessfulTime;
    }

    public String getLastRunNow() {
        return lastRunNow;
    }

    public void setLastRunNow(String lastRunNow) {
        this.lastRunNow = lastRunNow;
    }

    public List<PredictionRun> getRuns() {
        return runs;
    }

    public void setRuns(List<PredictionRun> runs) {
        this.runs = runs;
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

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getNextScheduleTime() {
        return nextScheduleTime;
    }

    public void setNextScheduleTime(String nextScheduleTime) {
        this.nextScheduleTime = nextScheduleTime;
    }

    public MissedRuns getMissedRuns() {
        return missedRuns;
    }

    public void setMissedRuns(MissedRuns missedRuns) {
        this.missedRuns = missedRuns;
    }
}
