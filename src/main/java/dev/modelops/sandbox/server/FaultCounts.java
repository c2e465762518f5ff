package dev.modelops.sandbox.server;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The faults injected up to one moment, by kind. */
public final class FaultCounts {

    private final Map<FaultKind, Long> byKind;

    FaultCounts(Map<FaultKind, Long> byKind) {
        EnumMap<FaultKind, Long> all = new EnumMap<>(FaultKind.class);
        for (FaultKind kind : FaultKind.values()) {
            all.put(kind, byKind.getOrDefault(kind, 0L));
        }
        this.byKind = Collections.unmodifiableMap(all);
    }

    public long count(FaultKind kind) {
        return byKind.get(kind);
    }

    public long total() {
        return byKind.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Every kind, with zero for those not injected. */
    public Map<FaultKind, Long> byKind() {
        return byKind;
    }

    /** {@code 409=2 429=1 500=0 503=3 slow=4 watch-close=1 total=11}. */
    @Override
    public String toString() {
        return byKind.entrySet().stream().map(e -> e.getKey().label() + "=" + e.getValue())
                .collect(Collectors.joining(" ")) + " total=" + total();
    }
}
