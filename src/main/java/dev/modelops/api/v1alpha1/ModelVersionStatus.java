package dev.modelops.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import java.util.List;
import java.util.Map;

/** Where the version is in its lifecycle. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelVersionStatus {

    @JsonPropertyDescription("The lifecycle stage.")
    private Stage stage;

    @JsonPropertyDescription("Trained or Imported, StatisticsComputed, Evaluated, Approved, Deployed, Retired and Ready.")
    private List<Condition> conditions;

    @JsonPropertyDescription("The metadata.generation that this status was computed from.")
    private Long observedGeneration;

    @JsonPropertyDescription("Where the model artifact is stored.")
    private String artifactUri;

    @JsonPropertyDescription("SHA-256 digest of the artifact; an approval is bound to it. Empty until artifact digests are recorded.")
    private String artifactDigest;

    @JsonPropertyDescription("The metric that says most about the version, as name=value: the first metric its gates name, else the first by name.")
    private String headlineMetric;

    @JsonPropertyDescription("Metrics of the latest evaluation.")
    private Map<String, Double> metrics;

    @PreserveUnknownFields
    @JsonPropertyDescription("Statistics computed for an imported model.")
    private JsonNode statistics;

    @JsonPropertyDescription("The approval decision, once taken.")
    private ApprovalRecord approval;

    @JsonPropertyDescription("True while this is the deployed version of its model.")
    private Boolean champion;

    @JsonPropertyDescription("The latest ModelJob of each step.")
    private StepJobs jobs;

    @JsonPropertyDescription("Human-readable summary of the current stage.")
    private String message;

    public Stage getStage() {
        return stage;
    }

    public void setStage(Stage stage) {
        this.stage = stage;
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

    public String getArtifactUri() {
        return artifactUri;
    }

    public void setArtifactUri(String artifactUri) {
        this.artifactUri = artifactUri;
    }

    public String getArtifactDigest() {
        return artifactDigest;
    }

    public void setArtifactDigest(String artifactDigest) {
        this.artifactDigest = artifactDigest;
    }

    public String getHeadlineMetric() {
        return headlineMetric;
    }

    public void setHeadlineMetric(String headlineMetric) {
        this.headlineMetric = headlineMetric;
    }

    public Map<String, Double> getMetrics() {
        return metrics;
    }

    public void setMetrics(Map<String, Double> metrics) {
        this.metrics = metrics;
    }

    public JsonNode getStatistics() {
        return statistics;
    }

    public void setStatistics(JsonNode statistics) {
        this.statistics = statistics;
    }

    public ApprovalRecord getApproval() {
        return approval;
    }

    public void setApproval(ApprovalRecord approval) {
        this.approval = approval;
    }

    public Boolean getChampion() {
        return champion;
    }

    public void setChampion(Boolean champion) {
        this.champion = champion;
    }

    public StepJobs getJobs() {
        return jobs;
    }

    public void setJobs(StepJobs jobs) {
        this.jobs = jobs;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }
}
