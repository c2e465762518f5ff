package dev.modelops.api.v1alpha1;

/** An approval decision. */
public enum Decision {
    Approved, Rejected
}
