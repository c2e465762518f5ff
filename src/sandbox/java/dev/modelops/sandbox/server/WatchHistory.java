package dev.modelops.sandbox.server;

import io.fabric8.mockwebserver.crud.AttributeSet;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The store's last changes, for watches that start from a resourceVersion: as the API server's watch cache keeps a
 * window of recent events, a watch from a version inside it gets every change after that version (additions,
 * modifications and deletions), and one from a version before it gets 410 Gone.
 */
final class WatchHistory {

    /** One change: the key and state before (none for a create) and after (none for a delete). */
    record Change(long version, AttributeSet oldKey, String oldState, AttributeSet newKey, String newState) {
    }

    static final int DEFAULT_CAPACITY = 10_000;

    private final int capacity;
    private final ArrayDeque<Change> changes = new ArrayDeque<>();
    /** The newest version no longer kept: a watch from before it has missed changes. */
    private long expired;

    WatchHistory(int capacity) {
        this.capacity = capacity;
    }

    synchronized void record(Change change) {
        changes.addLast(change);
        if (changes.size() > capacity) {
            expired = changes.removeFirst().version();
        }
    }

    /** The changes after the version, in order; empty when changes after it are no longer kept. */
    synchronized Optional<List<Change>> after(long version) {
        if (version < expired) {
            return Optional.empty();
        }
        List<Change> after = new ArrayList<>();
        changes.descendingIterator().forEachRemaining(change -> {
            if (change.version() > version) {
                after.add(0, change);
            }
        });
        return Optional.of(after);
    }

    /** The oldest version a watch may start from. */
    synchronized long oldest() {
        return expired;
    }

    synchronized void clear() {
        changes.clear();
        expired = 0;
    }
}
