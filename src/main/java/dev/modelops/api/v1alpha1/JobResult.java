package dev.modelops.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import java.util.Map;

/** What the container reported through its termination message (JSON, at most 4 KiB). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobResult {

    @JsonPropertyDescription("Named numeric metrics, for example auc: 0.91.")
    private Map<String, Double> metrics;

    @JsonPropertyDescription("Where the step stored the model artifact.")
    private String artifactUri;

    @JsonPropertyDescription("SHA-256 digest of the stored artifact, as 64 hexadecimal characters; an Import is checked against spec.source.import.sha256.")
    private String artifactDigest;

    @JsonPropertyDescription("Where the step wrote its output, for example batch predictions.")
    private String outputUri;

    @PreserveUnknownFields
    @JsonPropertyDescription("Statistics of the dataset or model, free-form.")
    private JsonNode statistics;

    public Map<String, Double> getMetrics() {
        return metrics;
    }

    public void setMetrics(Map<String, Double> metrics) {
        this.metrics = metrics;
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

    public String getOutputUri() {
        return outputUri;
    }

    public void setOutputUri(String outputUri) {
        this.outputUri = outputUri;
    }

    public JsonNode getStatistics() {
        return statistics;
    }

    public void setStatistics(JsonNode statistics) {
        this.statistics = statistics;
    }
}
