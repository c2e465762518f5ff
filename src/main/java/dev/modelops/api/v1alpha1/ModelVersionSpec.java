package dev.modelops.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One version of a model and the path it takes to production. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelVersionSpec {

    @Required
    @ValidationRule(value = "self == oldSelf", message = "spec.model is immutable: create a new ModelVersion for another model")
    @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$') && self.size() <= 63", message = "spec.model must be a DNS label (lowercase letters, digits and '-', at most 63 characters) because it is used as a label value")
    @Size(max = 63)
    @JsonPropertyDescription("The model this is a version of; the versions of one model share a champion. Immutable.")
    private String model;

    @Required
    @ValidationRule(value = "self == oldSelf", message = "spec.version is immutable: create a new ModelVersion for another version")
    @ValidationRule(value = "self.matches('^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$') && self.size() <= 63", message = "spec.version must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit")
    @Size(max = 63)
    @JsonPropertyDescription("The version, such as 3 or 2026.11.1. Immutable.")
    private String version;

    @Required
    @ValidationRule(value = "self == oldSelf", message = "spec.source is immutable: a version is one fixed artifact; create a new ModelVersion")
    @JsonPropertyDescription("Where the model comes from. Immutable: a version is one fixed artifact.")
    private ModelSource source;

    @JsonPropertyDescription("Container and dataset of the ComputeStatistics step of an imported model.")
    private StepTemplate computeStatistics;

    @JsonPropertyDescription("Container and dataset of the Evaluate step.")
    private StepTemplate evaluate;

    @JsonPropertyDescription("How the version is approved.")
    private ApprovalPolicy approval;

    @JsonPropertyDescription("How the version is deployed.")
    private DeployPolicy deploy;

    @Min(0)
    @JsonPropertyDescription("Default retries of the pods of this version's jobs.")
    private Integer backoffLimit;

    @Min(1)
    @JsonPropertyDescription("Default time limit in seconds of this version's jobs.")
    private Long activeDeadlineSeconds;

    public String getModel() {
        return model;
    }

    public void setModel(String model) {
        this.model = model;
    }

    public String getVersion() {
        return version;
    }

    public void setVersion(String version) {
        this.version = version;
    }

    public ModelSource getSource() {
        return source;
    }

    public void setSource(ModelSource source) {
        this.source = source;
    }

    public StepTemplate getComputeStatistics() {
        return computeStatistics;
    }

    public void setComputeStatistics(StepTemplate computeStatistics) {
        this.computeStatistics = computeStatistics;
    }

    public StepTemplate getEvaluate() {
        return evaluate;
    }

    public void setEvaluate(StepTemplate evaluate) {
        this.evaluate = evaluate;
    }

    public ApprovalPolicy getApproval() {
        return approval;
    }

    public void setApproval(ApprovalPolicy approval) {
        this.approval = approval;
    }

    public DeployPolicy getDeploy() {
        return deploy;
    }

    public void setDeploy(DeployPolicy deploy) {
        this.deploy = deploy;
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
