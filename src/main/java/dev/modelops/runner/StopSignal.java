package dev.modelops.runner;

import java.util.concurrent.CountDownLatch;

/**
 * SIGTERM as a command can hear it. A command that {@link #listen}s (a server) stops by itself when the signal comes
 * and returns its result; any other is cut short by the runner (exit 143, "stopped before it finished").
 */
public final class StopSignal {

    private final CountDownLatch requested = new CountDownLatch(1);
    private volatile boolean listened;

    /** Says that this command stops by itself on the signal; call it before the work that the signal should end. */
    public void listen() {
        listened = true;
    }

    public boolean listened() {
        return listened;
    }

    public void request() {
        requested.countDown();
    }

    public boolean requested() {
        return requested.getCount() == 0;
    }

    /** Waits until the signal comes. */
    public void await() throws InterruptedException {
        requested.await();
    }
}
