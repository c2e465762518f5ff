package dev.modelops.api.v1alpha1;

/** Lifecycle stage of a ModelVersion. */
public enum Stage {
    Registered, Training, Importing, ComputingStatistics, Evaluating, AwaitingApproval, Approved, Rejected, Deploying, Deployed, Retired, Failed
}
