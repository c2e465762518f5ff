package dev.modelops.runner.model;

/**
 * A model's answer for one row: the predicted class (or the value, as text, of a regression), the value (the
 * regression's output, or the positive class's probability of a binary classifier), and the probabilities of each
 * class (empty for a regression).
 */
public record Prediction(String label, double value, double[] probabilities) {
}
