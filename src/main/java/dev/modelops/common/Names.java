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
    private static final int DIGEST = 8;

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

    /**
     * {@code <owner>-<suffix>} in at most {@code max} characters. Too long, the owner is shortened and followed by a
     * digest of its name; when the suffix alone leaves no room for that, the whole name is cut and followed by a
     * digest of all of it. The same owner and suffix always give the same name, and different suffixes different
     * names.
     */
    public static String child(String owner, String suffix, int max) {
        String name = owner + "-" + suffix;
        if (name.length() <= max) {
            return name;
        }
        String start = trimmed(owner.substring(0, Math.max(0, max - suffix.length() - DIGEST - 2)));
        if (!start.isEmpty()) {
            return start + "-" + digest(owner) + "-" + suffix;
        }
        return trimmed(name.substring(0, max - DIGEST - 1)) + "-" + digest(name);
    }

    private static String trimmed(String start) {
        String trimmed = start;
        while (trimmed.endsWith("-") || trimmed.endsWith(".")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }

    /** Eight hexadecimal characters that stand for the text: the same text always gives the same. */
    public static String digest(String text) {
        return UUID.nameUUIDFromBytes(text.getBytes(StandardCharsets.UTF_8)).toString().substring(0, DIGEST);
    }
}
