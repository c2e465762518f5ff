package dev.modelops.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * The Deployment and Service that serve the model online; without an image, the built-in runner serves it (its
 * {@code serve}: the Open Inference Protocol v2).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OnlineServing extends ContainerTemplate {

    @Default("8080")
    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("Port the serving container listens on.")
    private Integer port;

    @Default("1")
    @Min(0)
    @JsonPropertyDescription("Number of serving pods.")
    private Integer replicas;

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }
}
