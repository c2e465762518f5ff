package dev.modelops.api.v1alpha1;

/** The kinds of step a ModelJob runs. */
public enum JobType {
    Train(Kind.COMPUTE),
    Evaluate(Kind.COMPUTE),
    Approve(Kind.DECISION),
    Reject(Kind.DECISION),
    Deploy(Kind.PRODUCTION),
    Retire(Kind.PRODUCTION),
    Import(Kind.COMPUTE),
    ComputeStatistics(Kind.COMPUTE),
    BatchPrediction(Kind.COMPUTE);

    /** How a job of the type is carried out. */
    public enum Kind {
        /** Runs the user's (or a built-in) container as one batch/v1 Job. */
        COMPUTE,
        /** A recorded decision; no pod runs. */
        DECISION,
        /** Changes what is in production and runs an optional hook Job. */
        PRODUCTION
    }

    private final Kind kind;

    JobType(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
