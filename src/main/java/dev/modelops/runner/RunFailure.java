package dev.modelops.runner;

/**
 * Bad input or an unusable environment: the job ends with a non-zero exit and this one-line message as its result.
 * Everything a user can fix (a missing column, an unreadable file, a digest mismatch) is one of these.
 */
public class RunFailure extends RuntimeException {

    public RunFailure(String message) {
        super(oneLine(message));
    }

    public RunFailure(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    public static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
