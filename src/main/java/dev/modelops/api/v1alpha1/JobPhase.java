package dev.modelops.api.v1alpha1;

/** Phase of a ModelJob; Succeeded, Failed and Cancelled are final. */
public enum JobPhase {
    Pending, Running, Succeeded, Failed, Cancelled
}
