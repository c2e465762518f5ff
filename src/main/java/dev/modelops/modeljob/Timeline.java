package dev.modelops.modeljob;

import dev.modelops.api.Rfc3339;
import dev.modelops.api.v1alpha1.TimelineEntry;
import dev.modelops.common.Conditions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A ModelJob's bounded history, in time order. An entry is added once: the same reason and message are never
 * recorded twice, so a reconcile that sees the same facts again adds nothing. An entry with a time from the cluster
 * (a pod's start) that lands after a later one was recorded goes in its place. The first entry (Created) is kept
 * when the oldest others make room.
 */
final class Timeline {

    static final int MAX_ENTRIES = 30;

    /** An entry this timeline added, with its reason as the enum that the Event is recorded with. */
    record Added(ModelJobReason reason, TimelineEntry entry) {
    }

    private final List<TimelineEntry> entries;
    private final List<Added> added = new ArrayList<>();

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
        int position = entries.size();
        Instant written = Rfc3339.instant(entry.getTime());
        while (position > 0 && Rfc3339.instant(entries.get(position - 1).getTime()).isAfter(written)) {
            position--;
        }
        entries.add(position, entry);
        added.add(new Added(reason, entry));
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
    List<Added> added() {
        return added;
    }
}
