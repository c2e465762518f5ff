package dev.modelops.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** What a ModelJob runs. A ModelJob runs at most once; a retry is a new ModelJob. */
@ValidationRule(value = "!(self.type in ['Approve', 'Reject']) || (has(self.reason) && self.reason.matches('\\\\S'))", message = "spec.reason is required for Approve and Reject: say why the version is approved or rejected")
@ValidationRule(value = "!has(oldSelf.stop) || !oldSelf.stop || (has(self.stop) && self.stop)", message = "spec.stop cannot be set back to false: a stopped ModelJob never runs again; create a new ModelJob instead")
@ValidationRule(value = "has(self.template) == has(oldSelf.template) && (!has(self.template) || self.template == oldSelf.template)", message = "spec.template is immutable: a ModelJob runs once; create a new ModelJob to run with another template")
@ValidationRule(value = "has(self.backoffLimit) == has(oldSelf.backoffLimit) && (!has(self.backoffLimit) || self.backoffLimit == oldSelf.backoffLimit)", message = "spec.backoffLimit is immutable: create a new ModelJob to run with another backoffLimit")
@ValidationRule(value = "has(self.activeDeadlineSeconds) == has(oldSelf.activeDeadlineSeconds) && (!has(self.activeDeadlineSeconds) || self.activeDeadlineSeconds == oldSelf.activeDeadlineSeconds)", message = "spec.activeDeadlineSeconds is immutable: create a new ModelJob to run with another deadline")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelJobSpec {

    @Required
    @ValidationRule(value = "self == oldSelf", message = "spec.type is immutable: create a new ModelJob for another step")
    @JsonPropertyDescription("The kind of step: Train, Evaluate, Approve, Reject, Deploy, Retire, Import, ComputeStatistics or BatchPrediction. Immutable.")
    private JobType type;

    @Required
    @ValidationRule(value = "self == oldSelf", message = "spec.modelVersion is immutable: create a new ModelJob for another version")
    @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$') && self.size() <= 253", message = "must be the name of a ModelVersion in the same namespace: lowercase letters, digits, '-' and '.', at most 253 characters")
    @Size(max = 253)
    @JsonPropertyDescription("Name of the ModelVersion in the same namespace that the job works on. Immutable.")
    private String modelVersion;

    @Size(max = 1024)
    @JsonPropertyDescription("Why: required for Approve and Reject (kept for audit); optional for Retire and for a stop.")
    private String reason;

    @Default("false")
    @JsonPropertyDescription("Set to true to stop the job in whatever state it is; its logs so far are kept and its phase becomes Cancelled. Cannot be set back to false.")
    private Boolean stop;

    @JsonPropertyDescription("Overrides of the container, over the defaults of the ModelVersion step and of the operator. Immutable.")
    private ContainerTemplate template;

    @Min(0)
    @JsonPropertyDescription("Retries of the pod before the job fails. Defaults to the ModelVersion's, then the operator's setting. Immutable.")
    private Integer backoffLimit;

    @Min(1)
    @JsonPropertyDescription("Time limit of the job in seconds; when reached the job fails with DeadlineExceeded. Defaults to the ModelVersion's, then the operator's setting. Immutable.")
    private Long activeDeadlineSeconds;

    public JobType getType() {
        return type;
    }

    public void setType(JobType type) {
        this.type = type;
    }

    public String getModelVersion() {
        return modelVersion;
    }

    public void setModelVersion(String modelVersion) {
        this.modelVersion = modelVersion;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public Boolean getStop() {
        return stop;
    }

    public void setStop(Boolean stop) {
        this.stop = stop;
    }

    public ContainerTemplate getTemplate() {
        return template;
    }

    public void setTemplate(ContainerTemplate template) {
        this.template = template;
    }

    public Integer getBackoffLimit() {
        return backoffLimit;
    }

    public void setBackoffLimit(Integer backoffLimit) {
        this.backoffLimit = backoffLimit;
    }

    public Long getActiveDeadlineSeconds() {
        return activeDeadlineSeconds;
    }

    public void setActiveDeadlineSeconds(Long activeDeadlineSeconds) {
        this.activeDeadlineSeconds = activeDeadlineSeconds;
    }
}
