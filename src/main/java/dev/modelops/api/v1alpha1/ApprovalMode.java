package dev.modelops.api.v1alpha1;

/** Who decides on a version after evaluation: a person (Manual) or the gates (Automatic). */
public enum ApprovalMode {
    Manual, Automatic
}
