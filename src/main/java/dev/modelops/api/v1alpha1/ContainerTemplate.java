package dev.modelops.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.util.List;
import java.util.Map;

/** What runs in a job's container, and what reaches its pod. Every field is optional; unset fields come from the defaults. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContainerTemplate {

    @JsonPropertyDescription("Container image. Defaults to the ModelVersion step's image, then to the operator's default image for the job type.")
    private String image;

    @JsonPropertyDescription("Entrypoint array. Defaults to the image's ENTRYPOINT.")
    private List<String> command;

    @JsonPropertyDescription("Arguments to the entrypoint. Defaults to the image's CMD.")
    private List<String> args;

    @JsonPropertyDescription("Extra environment variables. The operator also sets MODELOPS_MODEL, MODELOPS_MODEL_VERSION, MODELOPS_JOB_TYPE and, where they apply, MODELOPS_ARTIFACT_URI, MODELOPS_DATASET_URI and MODELOPS_OUTPUT_URI.")
    private List<EnvVar> env;

    @JsonPropertyDescription("Compute resources (requests and limits) of the container.")
    private ResourceRequirements resources;

    @JsonPropertyDescription("Container security context. When unset, the container meets the Pod Security Standard 'restricted' (non-root, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp).")
    private SecurityContext securityContext;

    @JsonPropertyDescription("Service account the pod runs as, for example one allowed to read the dataset bucket. Defaults to the namespace's default service account.")
    private String serviceAccountName;

    @JsonPropertyDescription("Annotations added to the pod, for example sidecar switches or, in the sandbox, sandbox.modelops.dev/* behaviour of the simulated container.")
    private Map<String, String> podAnnotations;

    @JsonPropertyDescription("Labels added to the pod, next to the modelops.dev/* labels that the operator sets.")
    private Map<String, String> podLabels;

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public List<String> getCommand() {
        return command;
    }

    public void setCommand(List<String> command) {
        this.command = command;
    }

    public List<String> getArgs() {
        return args;
    }

    public void setArgs(List<String> args) {
        this.args = args;
    }

    public List<EnvVar> getEnv() {
        return env;
    }

    public void setEnv(List<EnvVar> env) {
        this.env = env;
    }

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }

    public SecurityContext getSecurityContext() {
        return securityContext;
    }

    public void setSecurityContext(SecurityContext securityContext) {
        this.securityContext = securityContext;
    }

    public String getServiceAccountName() {
        return serviceAccountName;
    }

    public void setServiceAccountName(String serviceAccountName) {
        this.serviceAccountName = serviceAccountName;
    }

    public Map<String, String> getPodAnnotations() {
        return podAnnotations;
    }

    public void setPodAnnotations(Map<String, String> podAnnotations) {
        this.podAnnotations = podAnnotations;
    }

    public Map<String, String> getPodLabels() {
        return podLabels;
    }

    public void setPodLabels(Map<String, String> podLabels) {
        this.podLabels = podLabels;
    }
}
