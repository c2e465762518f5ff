package dev.modelops.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Scores data with a model version on a schedule or on demand. */
@ValidationRule(value = "has(self.model) != has(self.modelVersion)", message = "set exactly one of spec.model (follow the model's deployed version) or spec.modelVersion (pin one version)")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BatchPredictionSpec {

    @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$') && self.size() <= 63", message = "must be the name of a model in the same namespace (the spec.model of its ModelVersions): lowercase letters, digits and '-', at most 63 characters")
    @Size(max = 63)
    @JsonPropertyDescription("Follow the deployed version (champion) of this model, in the same namespace. Exactly one of model and modelVersion.")
    private String model;

    @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$') && self.size() <= 253", message = "must be the name of a ModelVersion in the same namespace: lowercase letters, digits, '-' and '.', at most 253 characters")
    @Size(max = 253)
    @JsonPropertyDescription("Pin this ModelVersion, in the same namespace, instead of following the champion.")
    private String modelVersion;

    @Required
    @ValidationRule(value = "self.matches('^\\\\s*(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|[0-9A-Za-z*?/,-]+(\\\\s+[0-9A-Za-z*?/,-]+){4})\\\\s*$')", message = "schedule must be a cron expression of 5 fields (minute hour day-of-month month day-of-week), such as '0 2 * * *', or a macro such as @daily")
    @Size(max = 128)
    @JsonPropertyDescription("Cron schedule in the five-field format (minute hour day-of-month month day-of-week), such as '0 2 * * *', or a macro such as @daily. For runs on demand only, set suspend and use the modelops.dev/run-now annotation.")
    private String schedule;

    @ValidationRule(value = "self != 'Local' && self.matches('^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9][A-Za-z0-9_+-]*){0,2}$')", message = "timeZone must be an IANA time zone name such as Europe/Madrid, America/New_York or UTC (a CronJob does not accept Local)")
    @Size(max = 64)
    @JsonPropertyDescription("IANA time zone of the schedule, such as Europe/Madrid. Defaults to the operator's time zone (UTC in the chart).")
    private String timeZone;

    @Default("false")
    @JsonPropertyDescription("Pause scheduled runs; runs on demand still start.")
    private Boolean suspend;

    @Default("Forbid")
    @JsonPropertyDescription("What to do when a run is due while the previous one still runs: Allow, Forbid (skip the new one) or Replace (stop the old one).")
    private ConcurrencyPolicy concurrencyPolicy;

    @Min(0)
    @JsonPropertyDescription("A scheduled run that could not start within this many seconds of its time is skipped.")
    private Long startingDeadlineSeconds;

    @JsonPropertyDescription("The scoring container. Defaults to the operator's default image for BatchPrediction.")
    private ContainerTemplate template;

    @JsonPropertyDescription("Data to score; reaches the container as MODELOPS_DATASET_URI.")
    private DataLocation input;

    @JsonPropertyDescription("Where predictions go; reaches the container as MODELOPS_OUTPUT_URI.")
    private DataLocation output;

    @Default("10")
    @Min(0)
    @JsonPropertyDescription("Successful runs kept in status and as ModelJobs.")
    private Integer successfulRunsHistoryLimit;

    @Default("10")
    @Min(0)
    @JsonPropertyDescription("Failed runs kept in status and as ModelJobs.")
    private Integer failedRunsHistoryLimit;

    public String getModel() {
        return model;
    }

    public void setModel(String model) {
        this.model = model;
    }

    public String getModelVersion() {
        return modelVersion;
    }

    public void setModelVersion(String modelVersion) {
        this.modelVersion = modelVersion;
    }

    public String getSchedule() {
        return schedule;
    }

    public void setSchedule(String schedule) {
        this.schedule = schedule;
    }

    public String getTimeZone() {
        return timeZone;
    }

    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }

    public Boolean getSuspend() {
        return suspend;
    }

    public void setSuspend(Boolean suspend) {
        this.suspend = suspend;
    }

    public ConcurrencyPolicy getConcurrencyPolicy() {
        return concurrencyPolicy;
    }

    public void setConcurrencyPolicy(ConcurrencyPolicy concurrencyPolicy) {
        this.concurrencyPolicy = concurrencyPolicy;
    }

    public Long getStartingDeadlineSeconds() {
        return startingDeadlineSeconds;
    }

    public void setStartingDeadlineSeconds(Long startingDeadlineSeconds) {
        this.startingDeadlineSeconds = startingDeadlineSeconds;
    }

    public ContainerTemplate getTemplate() {
        return template;
    }

    public void setTemplate(ContainerTemplate template) {
        this.template = template;
    }

    public DataLocation getInput() {
        return input;
    }

    public void setInput(DataLocation input) {
        this.input = input;
    }

    public DataLocation getOutput() {
        return output;
    }

    public void setOutput(DataLocation output) {
        this.output = output;
    }

    public Integer getSuccessfulRunsHistoryLimit() {
        return successfulRunsHistoryLimit;
    }

    public void setSuccessfulRunsHistoryLimit(Integer successfulRunsHistoryLimit) {
        this.successfulRunsHistoryLimit = successfulRunsHistoryLimit;
    }

    public Integer getFailedRunsHistoryLimit() {
        return failedRunsHistoryLimit;
    }

    public void setFailedRunsHistoryLimit(Integer failedRunsHistoryLimit) {
        this.failedRunsHistoryLimit = failedRunsHistoryLimit;
    }
}
