package dev.modelops.workload;

/** The Pod Security Standards levels, from most to least restrictive. */
public enum PodSecurityLevel {
    restricted, baseline, privileged;

    public boolean allows(PodSecurityLevel needed) {
        return needed.ordinal() <= ordinal();
    }
}
