package dev.modelops.sandbox.runtime;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * What a kubelet keeps of a container's termination message: the last 4096 bytes of what it wrote (the kubelet's
 * {@code tail.ReadAtMost}); a longer message loses its beginning, and a character cut in two becomes U+FFFD.
 */
final class TerminationMessages {

    static final int MAX_BYTES = 4096;

    private TerminationMessages() {
    }

    /** The message as the pod's status shows it, of one that the container wrote whole. */
    static String kept(String written) {
        if (written == null) {
            return null;
        }
        byte[] bytes = written.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= MAX_BYTES ? written
                : new String(bytes, bytes.length - MAX_BYTES, MAX_BYTES, StandardCharsets.UTF_8);
    }

    /** The message of the file the container wrote, empty when the file is. */
    static String read(Path file) throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            byte[] kept = new byte[(int) Math.min(length, MAX_BYTES)];
            in.seek(length - kept.length);
            in.readFully(kept);
            return new String(kept, StandardCharsets.UTF_8);
        }
    }
}
