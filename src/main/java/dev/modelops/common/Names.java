package dev.modelops.common;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Deterministic names of the objects the operator creates for a resource. */
public final class Names {

    /** Kubernetes' limit for most object names (DNS subdomain). */
    private static final int MAX = 253;

    private Names() {
    }

    /** {@code <owner>-<suffix>}, shortened with a digest of the owner's name when that would be too long. */
    public static String child(String owner, String suffix) {
        String name = owner + "-" + suffix;
        if (name.length() <= MAX) {
            return name;
        }
        String digest = UUID.nameUUIDFromBytes(owner.getBytes(StandardCharsets.UTF_8)).toString().substring(0, 8);
        return owner.substring(0, MAX - suffix.length() - digest.length() - 2) + "-" + digest + "-" + suffix;
    }
}
