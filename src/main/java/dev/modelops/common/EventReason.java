package dev.modelops.common;

import dev.modelops.api.v1alpha1.EventType;

/** A reason for a Kubernetes Event; each controller lists its reasons in one enum that implements this. */
public interface EventReason {

    /** The reason as it appears in the Event and the timeline, in CamelCase. */
    String name();

    /** Normal, or Warning for failures and refusals. */
    EventType type();
}
