package dev.modelops.modeljob;

/** The condition types of a ModelJob, each one fact that {@code kubectl wait --for=condition=...} can wait for. */
enum ModelJobCondition {
    Started, Complete, Failed, Cancelled
}
