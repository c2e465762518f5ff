package dev.modelops.api.v1alpha1;

/** How a deployed version serves predictions. */
public enum DeployMode {
    Batch, Online
}
