package dev.modelops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The peak resident set and the CPU time of a child process, Linux only: {@code VmHWM} of {@code /proc/<pid>/status}
 * (the kernel's high-water mark of its RSS) and {@code utime + stime} of {@code /proc/<pid>/stat} (in ticks of
 * 1/100 s, Linux's USER_HZ), read every 50 ms on a thread of their own until the process ends, so that the last
 * reading falls at most 50 ms before the exit. CPU time moves less than wall time when other work shares the cores.
 */
final class ChildUsage implements AutoCloseable {

    private static final Pattern HWM = Pattern.compile("^VmHWM:\\s+(\\d+) kB$", Pattern.MULTILINE);

    private final Path proc;
    private final Thread poller;
    private volatile long peakKiB;
    private volatile long cpuTicks;

    private ChildUsage(long pid) {
        this.proc = Path.of("/proc", Long.toString(pid));
        this.poller = new Thread(this::poll, "child-usage-" + pid);
        this.poller.setDaemon(true);
    }

    static ChildUsage watch(Process process) {
        if (!Files.isDirectory(Path.of("/proc", "self"))) {
            throw new IllegalStateException("a child's peak RSS and CPU are read from /proc: Linux only");
        }
        ChildUsage usage = new ChildUsage(process.pid());
        usage.poller.start();
        return usage;
    }

    private void poll() {
        while (true) {
            try {
                Matcher hwm = HWM.matcher(Files.readString(proc.resolve("status")));
                if (hwm.find()) {
                    peakKiB = Math.max(peakKiB, Long.parseLong(hwm.group(1)));
                }
                String stat = Files.readString(proc.resolve("stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                cpuTicks = Math.max(cpuTicks, Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
                Thread.sleep(50);
            } catch (IOException | RuntimeException e) {
                return; // the process has ended: its /proc entry is gone or empty
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The highest resident set seen, in MiB. */
    double peakMiB() {
        return peakKiB / 1024.0;
    }

    /** User and system CPU time, in seconds, at the last reading. */
    double cpuSeconds() {
        return cpuTicks / 100.0;
    }

    @Override
    public void close() throws InterruptedException {
        poller.interrupt();
        poller.join();
    }
}
