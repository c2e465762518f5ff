package dev.modelops.sandbox.runtime;

import org.jboss.logging.Logger;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A controller's work queue, as client-go's: a key is queued at most once, handled by one worker at a time, and
 * handled again if it was queued while being handled. Informer events and timers queue keys; workers reconcile.
 */
final class WorkQueue implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WorkQueue.class);
    private static final long RETRY_MILLIS = 500;

    private final String name;
    private final Consumer<String> reconcile;
    private final LinkedBlockingQueue<String> ready = new LinkedBlockingQueue<>();
    private final Set<String> queued = new HashSet<>();
    private final Set<String> processing = new HashSet<>();
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final ExecutorService workers;
    private volatile boolean closed;

    WorkQueue(String name, int workers, Consumer<String> reconcile) {
        this.name = name;
        this.reconcile = reconcile;
        this.workers = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "sandbox-" + name);
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < workers; i++) {
            this.workers.execute(this::work);
        }
    }

    synchronized void add(String key) {
        if (processing.contains(key)) {
            dirty.add(key);
        } else if (queued.add(key)) {
            ready.add(key);
        }
    }

    private synchronized void begin(String key) {
        processing.add(key);
        queued.remove(key);
    }

    /** Queues the key again if it changed while it was handled. */
    private synchronized void end(String key) {
        processing.remove(key);
        if (dirty.remove(key)) {
            add(key);
        }
    }

    private void work() {
        while (!closed) {
            String key;
            try {
                key = ready.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (key == null) {
                continue;
            }
            begin(key);
            try {
                reconcile.accept(key);
            } catch (RuntimeException e) {
                LOG.warnf("%s: %s failed, retrying in %d ms: %s", name, key, RETRY_MILLIS, e.getMessage());
                CompletableFuture.delayedExecutor(RETRY_MILLIS, TimeUnit.MILLISECONDS).execute(() -> add(key));
            } finally {
                end(key);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        workers.shutdownNow();
    }
}
