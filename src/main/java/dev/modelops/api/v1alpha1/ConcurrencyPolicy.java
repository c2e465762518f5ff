package dev.modelops.api.v1alpha1;

/** What to do when a scheduled run is due while the previous one still runs. */
public enum ConcurrencyPolicy {
    Allow, Forbid, Replace
}
