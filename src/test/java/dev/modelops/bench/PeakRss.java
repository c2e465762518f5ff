package dev.modelops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The peak resident set of a child process, Linux only: {@code VmHWM} of {@code /proc/<pid>/status} (the kernel's
 * high-water mark of its RSS), read every 50 ms on a thread of its own until the process ends, so that the last
 * reading falls at most 50 ms before the exit.
 */
final class PeakRss implements AutoCloseable {

    private static final Pattern HWM = Pattern.compile("^VmHWM:\\s+(\\d+) kB$", Pattern.MULTILINE);

    private final Path status;
    private final Thread poller;
    private volatile long peakKiB;

    private PeakRss(long pid) {
        this.status = Path.of("/proc", Long.toString(pid), "status");
        this.poller = new Thread(this::poll, "peak-rss-" + pid);
        this.poller.setDaemon(true);
    }

    static PeakRss watch(Process process) {
        if (!Files.isDirectory(Path.of("/proc", "self"))) {
            throw new IllegalStateException("the runner's peak RSS is read from /proc: Linux only");
        }
        PeakRss rss = new PeakRss(process.pid());
        rss.poller.start();
        return rss;
    }

    private void poll() {
        while (true) {
            try {
                Matcher hwm = HWM.matcher(Files.readString(status));
                if (hwm.find()) {
                    peakKiB = Math.max(peakKiB, Long.parseLong(hwm.group(1)));
                }
                Thread.sleep(50);
            } catch (IOException e) {
                return; // the process has ended: its /proc entry is gone
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The highest resident set seen, in MiB. */
    double peakMiB() {
        return peakKiB / 1024.0;
    }

    @Override
    public void close() throws InterruptedException {
        poller.interrupt();
        poller.join();
    }
}
