package dev.modelops.common;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Deterministic names of the objects the operator creates for a resource. */
public final class Names {

    /** Kubernetes' limit for most object names (DNS subdomain). */
    private static final int MAX = 253;
    /** Kubernetes' limit for names that are also label values or DNS labels: Jobs, Services. */
    public static final int LABEL_MAX = 63;

    private Names() {
    }

    /** {@code <owner>-<suffix>}, shortened with a digest of the owner's name when that would be too long. */
    public static String child(String owner, String suffix) {
        return child(owner, suffix, MAX);
    }

    /** {@code <owner>-<suffix>} in at most {@code max} characters, the owner shortened with a digest if needed. */
    public static String child(String owner, String suffix, int max) {
        String name = owner + "-" + suffix;
        if (name.length() <= max) {
            return name;
        }
        String digest = UUID.nameUUIDFromBytes(owner.getBytes(StandardCharsets.UTF_8)).toString().substring(0, 8);
        String start = owner.substring(0, Math.max(0, max - suffix.length() - digest.length() - 2));
        while (start.endsWith("-") || start.endsWith(".")) {
            start = start.substring(0, start.length() - 1);
        }
        return start + "-" + digest + "-" + suffix;
    }
}
