package dev.modelops.sandbox.server;

/**
 * What the embedded API server can do wrong on purpose, as a real one does now and then: refuse a request (409 on a
 * stale resourceVersion, 429 when overloaded, 500, 503), answer it late, or end a watch before the client did.
 */
public enum FaultKind {

    /** 409 Conflict, reason Conflict: a write sent with a resourceVersion that is no longer the object's. */
    CONFLICT("409"),
    /** 429 Too Many Requests with {@code Retry-After: 1}, as API Priority and Fairness answers. */
    TOO_MANY_REQUESTS("429"),
    /** 500 Internal Server Error, reason InternalError. */
    INTERNAL_ERROR("500"),
    /** 503 Service Unavailable, reason ServiceUnavailable. */
    SERVICE_UNAVAILABLE("503"),
    /** The real answer, after a delay. */
    SLOW("slow"),
    /** A watch whose stream the server ends after some events or some time, as its watch timeout does. */
    WATCH_CLOSE("watch-close");

    private final String label;

    FaultKind(String label) {
        this.label = label;
    }

    /** How {@link FaultPlan#describe()} and {@link FaultCounts} name it: the HTTP code, {@code slow}, {@code watch-close}. */
    public String label() {
        return label;
    }

    /** Whether the request is refused with a Status and not performed. */
    public boolean refuses() {
        return this != SLOW && this != WATCH_CLOSE;
    }
}
