package dev.modelops.sandbox.runtime;

import org.jboss.logging.Logger;

import java.util.Set;
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

    private final String name;
    private final Consumer<String> reconcile;
    private final LinkedBlockingQueue<String> ready = new LinkedBlockingQueue<>();
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final Set<String> processing = ConcurrentHashMap.newKeySet();
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

    void add(String key) {
        if (processing.contains(key)) {
            dirty.add(key);
        } else if (queued.add(key)) {
            ready.add(key);
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
            processing.add(key);
            queued.remove(key);
            try {
                reconcile.accept(key);
            } catch (RuntimeException e) {
                LOG.warnf("%s: %s failed, retrying: %s", name, key, e.getMessage());
                dirty.add(key);
            } finally {
                processing.remove(key);
                if (dirty.remove(key)) {
                    add(key);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        workers.shutdownNow();
    }
}
