package dev.modelops.lifecycle;

/** Why the gates could not decide: a gate that is not a valid boolean expression, or a metric nobody reported. */
public record GateProblem(Kind kind, String gate, String message) {

    public enum Kind {
        /** The gate does not compile, does not evaluate to a bool, or fails when evaluated. */
        InvalidGate,
        /** The gate reads a metric that the evaluation (or the champion's) did not report. */
        MissingMetric
    }
}
