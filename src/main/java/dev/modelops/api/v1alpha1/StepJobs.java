package dev.modelops.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The latest ModelJob of each step of this version. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StepJobs {

    @JsonPropertyDescription("Latest Train job.")
    private String train;

    @JsonProperty("import")
    @JsonPropertyDescription("Latest Import job.")
    private String importJob;

    @JsonPropertyDescription("Latest ComputeStatistics job.")
    private String computeStatistics;

    @JsonPropertyDescription("Latest Evaluate job.")
    private String evaluate;

    @JsonPropertyDescription("Latest Approve or Reject job.")
    private String approval;

    @JsonPropertyDescription("Latest Deploy job.")
    private String deploy;

    @JsonPropertyDescription("Latest Retire job.")
    private String retire;

    public String getTrain() {
        return train;
    }

    public void setTrain(String train) {
        this.train = train;
    }

    @JsonProperty("import")
    public String getImport() {
        return importJob;
    }

    public void setImport(String importJob) {
        this.importJob = importJob;
    }

    public String getComputeStatistics() {
        return computeStatistics;
    }

    public void setComputeStatistics(String computeStatistics) {
        this.computeStatistics = computeStatistics;
    }

    public String getEvaluate() {
        return evaluate;
    }

    public void setEvaluate(String evaluate) {
        this.evaluate = evaluate;
    }

    public String getApproval() {
        return approval;
    }

    public void setApproval(String approval) {
        this.approval = approval;
    }

    public String getDeploy() {
        return deploy;
    }

    public void setDeploy(String deploy) {
        this.deploy = deploy;
    }

    public String getRetire() {
        return retire;
    }

    public void setRetire(String retire) {
        this.retire = retire;
    }
}
