package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.TimelineEntry;
import dev.modelops.common.Conditions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A ModelJob's bounded history. An entry is added once: the same reason and message are never recorded twice,
 * so a reconcile that sees the same facts again adds nothing. The first entry (Created) is kept when the oldest
 * others make room.
 */
final class Timeline {

    static final int MAX_ENTRIES = 30;

    private final List<TimelineEntry> entries;
    private final List<TimelineEntry> added = new ArrayList<>();

    Timeline(List<TimelineEntry> entries) {
        this.entries = entries == null ? new ArrayList<>() : new ArrayList<>(entries);
    }

    void add(ModelJobReason reason, String message, Instant at) {
        if (contains(reason, message)) {
            return;
        }
        TimelineEntry entry = new TimelineEntry();
        entry.setTime(Conditions.timestamp(at));
        entry.setType(reason.type());
        entry.setReason(reason.name());
        entry.setMessage(message);
        entries.add(entry);
        added.add(entry);
        if (entries.size() > MAX_ENTRIES) {
            entries.remove(1);
        }
    }

    boolean contains(ModelJobReason reason, String message) {
        return entries.stream().anyMatch(e -> e.getReason().equals(reason.name()) && e.getMessage().equals(message));
    }

    List<TimelineEntry> entries() {
        return entries;
    }

    /** The entries added since this timeline was read from status: each becomes an Event. */
    List<TimelineEntry> added() {
        return added;
    }
}
