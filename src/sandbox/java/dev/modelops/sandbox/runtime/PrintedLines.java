package dev.modelops.sandbox.runtime;

import dev.modelops.sandbox.server.PodLogSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines a process printed, each with its time, keeping the most recent {@code maxBytes} of them (as a kubelet
 * keeps the newest of its rotated log files); the count of those let go keeps {@code kubectl logs -f} in step.
 */
final class PrintedLines {

    private final long maxBytes;
    private final ArrayDeque<PodLogSource.Line> lines = new ArrayDeque<>();
    private long bytes;
    private long dropped;

    PrintedLines(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    synchronized void add(Instant at, String line) {
        PodLogSource.Line printed = new PodLogSource.Line(at, line + "\n");
        lines.addLast(printed);
        bytes += size(printed);
        while (bytes > maxBytes && lines.size() > 1) {
            bytes -= size(lines.removeFirst());
            dropped++;
        }
    }

    synchronized ContainerRun.Printed snapshot() {
        return new ContainerRun.Printed(dropped, List.copyOf(lines));
    }

    /** The end of the log: its last {@code maxLines} lines in at most {@code maxBytes} (the end of them). */
    synchronized String tail(int maxLines, int maxBytes) {
        List<PodLogSource.Line> all = new ArrayList<>(lines);
        StringBuilder text = new StringBuilder();
        all.subList(Math.max(0, all.size() - maxLines), all.size()).forEach(line -> text.append(line.text()));
        byte[] utf8 = text.toString().getBytes(StandardCharsets.UTF_8);
        return utf8.length <= maxBytes ? text.toString()
                : new String(utf8, utf8.length - maxBytes, maxBytes, StandardCharsets.UTF_8);
    }

    private static long size(PodLogSource.Line line) {
        return line.text().length() + 32L;
    }
}
