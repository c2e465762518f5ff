package dev.modelops.modeljob;

import java.nio.charset.StandardCharsets;

/** The end of a log, at most a number of bytes, cut at a line start where it can be; what is kept of a job's log. */
public record LogTail(String text, boolean truncated) {

    public static LogTail of(String log, int maxBytes) {
        byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return new LogTail(log, false);
        }
        int start = bytes.length - maxBytes;
        while (start < bytes.length && (bytes[start] & 0xC0) == 0x80) {
            start++; // not in the middle of a UTF-8 character
        }
        String tail = new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
        int lineStart = tail.indexOf('\n');
        if (lineStart >= 0 && lineStart < tail.length() - 1) {
            tail = tail.substring(lineStart + 1);
        }
        return new LogTail(tail, true);
    }
}
