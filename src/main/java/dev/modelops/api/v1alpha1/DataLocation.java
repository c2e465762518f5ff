package dev.modelops.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Where data is read from or written to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DataLocation {

    @Required
    @ValidationRule(value = "self.matches('^[a-zA-Z][a-zA-Z0-9+.-]*://.+')", message = "uri must be an absolute URI with a scheme, such as s3://bucket/path, gs://bucket/path, https://host/path or file:///path")
    @Size(max = 2048)
    @JsonPropertyDescription("Absolute URI of the data, such as s3://bucket/churn/2026-11.csv. Reaches the container as an environment variable.")
    private String uri;

    public String getUri() {
        return uri;
    }

    public void setUri(String uri) {
        this.uri = uri;
    }
}
