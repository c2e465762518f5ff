package dev.modelops.runner;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The job's log: one line per event on stdout, which Kubernetes keeps as the pod's log. */
public final class Log {

    private final PrintStream out;

    public Log(PrintStream out) {
        this.out = out;
    }

    public void info(String message) {
        line("INFO", message);
    }

    public void error(String message) {
        line("ERROR", message);
    }

    private synchronized void line(String level, String message) {
        out.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + level + " " + RunFailure.oneLine(message));
        out.flush();
    }
}
