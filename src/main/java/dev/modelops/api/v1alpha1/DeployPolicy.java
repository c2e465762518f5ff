package dev.modelops.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

/** How the version goes into production. */
@ValidationRule(value = "self.mode != 'Online' || has(self.online)", message = "deploy.online is required when deploy.mode is Online: give the image and port that serve the model")
@ValidationRule(value = "!has(self.hook) && !has(self.retireHook)", message = "deploy.hook and deploy.retireHook are not run by this version of the operator: remove them")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeployPolicy {

    @Default("Batch")
    @JsonPropertyDescription("Batch: the version scores data through BatchPredictions. Online: also a Deployment and Service serve it.")
    private DeployMode mode;

    @Default("false")
    @JsonPropertyDescription("Deploy as soon as the version is approved.")
    private Boolean automatic;

    @JsonPropertyDescription("The online server; required when mode is Online.")
    private OnlineServing online;

    @JsonPropertyDescription("Reserved for a container run as the Deploy job (to notify, or warm a cache). Not run by this version of the operator, so refused at admission.")
    private ContainerTemplate hook;

    @JsonPropertyDescription("Reserved for a container run as the Retire job. Not run by this version of the operator, so refused at admission.")
    private ContainerTemplate retireHook;

    public DeployMode getMode() {
        return mode;
    }

    public void setMode(DeployMode mode) {
        this.mode = mode;
    }

    public Boolean getAutomatic() {
        return automatic;
    }

    public void setAutomatic(Boolean automatic) {
        this.automatic = automatic;
    }

    public OnlineServing getOnline() {
        return online;
    }

    public void setOnline(OnlineServing online) {
        this.online = online;
    }

    public ContainerTemplate getHook() {
        return hook;
    }

    public void setHook(ContainerTemplate hook) {
        this.hook = hook;
    }

    public ContainerTemplate getRetireHook() {
        return retireHook;
    }

    public void setRetireHook(ContainerTemplate retireHook) {
        this.retireHook = retireHook;
    }
}
