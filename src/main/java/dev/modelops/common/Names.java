package dev.modelops.common;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Pattern;

/** Deterministic names of the objects the operator creates for a resource. */
public final class Names {

    /** Kubernetes' limit for most object names (DNS subdomain). */
    private static final int MAX = 253;
    /** Kubernetes' limit for names that are also label values or DNS labels: Jobs, Services. */
    public static final int LABEL_MAX = 63;

    private static final Pattern OBJECT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private Names() {
    }

    /**
     * Whether the text can be the name of an object (a DNS subdomain), so that it may go into a request's path: a name
     * read from something a person can edit, such as a record's data, could otherwise hold {@code /} or {@code ..}
     * and reach another namespace.
     */
    public static boolean isObjectName(String text) {
        return text != null && text.length() <= MAX && OBJECT_NAME.matcher(text).matches();
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
