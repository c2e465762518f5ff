package dev.modelops.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where the logs of a finished job are kept. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LogsRef {

    @JsonPropertyDescription("ConfigMap, owned by the ModelJob, that holds a bounded tail of each container's log, one key per pod and container.")
    private String configMap;

    @JsonPropertyDescription("True when a log was longer than the kept tail and its beginning was cut.")
    private Boolean truncated;

    public String getConfigMap() {
        return configMap;
    }

    public void setConfigMap(String configMap) {
        this.configMap = configMap;
    }

    public Boolean getTruncated() {
        return truncated;
    }

    public void setTruncated(Boolean truncated) {
        this.truncated = truncated;
    }
}
