package dev.modelops.modeljob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The end of a log, at most a number of bytes of UTF-8, cut at a line start where it can be; what is kept of a job's
 * log. A log is bytes, not always text: what is not UTF-8 becomes U+FFFD, three bytes each, and the bound holds for
 * the text after that.
 */
public record LogTail(String text, boolean truncated) {

    /**
     * A tail starts at a line start when the first one is this near its beginning; a longer first line (binary output,
     * a progress bar, a JSON document on one line) is kept from the cut rather than dropped with what it holds.
     */
    static final int PARTIAL_LINE_DROPPED = 4096;

    public static LogTail of(String log, int maxBytes) {
        byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= maxBytes ? new LogTail(log, false) : cut(bytes, bytes.length - maxBytes, bytes.length);
    }

    /** Reads a log to its end keeping only its last bytes. */
    public static LogTail read(InputStream log, int maxBytes) throws IOException {
        Collector tail = new Collector(maxBytes);
        byte[] chunk = new byte[8192];
        for (int n; (n = log.read(chunk)) >= 0; ) {
            tail.add(ByteBuffer.wrap(chunk, 0, n));
        }
        return tail.tail();
    }

    /**
     * Takes a log as it arrives and keeps only its last bytes, so that a container log of many megabytes costs no more
     * memory than what is kept.
     */
    public static final class Collector {

        private final byte[] ring;
        private long total;

        public Collector(int maxBytes) {
            ring = new byte[Math.max(1, maxBytes)];
        }

        public void add(ByteBuffer bytes) {
            while (bytes.hasRemaining()) {
                int position = (int) (total % ring.length);
                int length = Math.min(bytes.remaining(), ring.length - position);
                bytes.get(ring, position, length);
                total += length;
            }
        }

        public LogTail tail() {
            if (total <= ring.length) {
                return of(new String(ring, 0, (int) total, StandardCharsets.UTF_8), ring.length);
            }
            int start = (int) (total % ring.length);
            byte[] ordered = new byte[ring.length];
            System.arraycopy(ring, start, ordered, 0, ring.length - start);
            System.arraycopy(ring, 0, ordered, ring.length - start, start);
            return new LogTail(of(cut(ordered, 0, ordered.length).text(), ring.length).text(), true);
        }
    }

    private static LogTail cut(byte[] bytes, int from, int to) {
        int start = from;
        while (start < to && (bytes[start] & 0xC0) == 0x80) {
            start++; // not in the middle of a UTF-8 character
        }
        String tail = new String(bytes, start, to - start, StandardCharsets.UTF_8);
        int lineStart = tail.indexOf('\n');
        if (lineStart >= 0 && lineStart < Math.min(tail.length() - 1, PARTIAL_LINE_DROPPED)) {
            tail = tail.substring(lineStart + 1);
        }
        return new LogTail(tail, true);
    }
}
