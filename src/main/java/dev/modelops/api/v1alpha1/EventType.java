package dev.modelops.api.v1alpha1;

/** Type of a timeline entry and of its Kubernetes Event. */
public enum EventType {
    Normal, Warning
}
