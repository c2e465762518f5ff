package dev.modelops.batchprediction;

/** The conditions of a BatchPrediction. */
enum PredictionCondition {
    Ready, Suspended
}
