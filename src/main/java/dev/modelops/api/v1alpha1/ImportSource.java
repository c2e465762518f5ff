package dev.modelops.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A model trained elsewhere (bring your own model). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImportSource {

    @Required
    @ValidationRule(value = "self.matches('^[a-zA-Z][a-zA-Z0-9+.-]*://.+')", message = "uri must be an absolute URI with a scheme, such as s3://bucket/path, gs://bucket/path, https://host/path or file:///path")
    @Size(max = 2048)
    @JsonPropertyDescription("Where the model files are, such as s3://bucket/churn/model.onnx.")
    private String uri;

    @Required
    @JsonPropertyDescription("Format of the model files.")
    private ModelFormat format;

    @ValidationRule(value = "self.matches('^[0-9a-fA-F]{64}$')", message = "sha256 must be 64 hexadecimal characters: the SHA-256 digest of the model file")
    @Size(max = 64)
    @JsonPropertyDescription("Expected SHA-256 digest of the model file, as 64 hexadecimal characters; the Import job verifies it.")
    private String sha256;

    @JsonPropertyDescription("Overrides of the Import and ComputeStatistics containers.")
    private ContainerTemplate template;

    public String getUri() {
        return uri;
    }

    public void setUri(String uri) {
        this.uri = uri;
    }

    public ModelFormat getFormat() {
        return format;
    }

    public void setFormat(ModelFormat format) {
        this.format = format;
    }

    public String getSha256() {
        return sha256;
    }

    public void setSha256(String sha256) {
        this.sha256 = sha256;
    }

    public ContainerTemplate getTemplate() {
        return template;
    }

    public void setTemplate(ContainerTemplate template) {
        this.template = template;
    }
}
