package dev.modelops.modeljob;

/** Why a ModelJob failed: the reason of its Failed condition. */
enum FailureReason {
    /** The container exited with a non-zero code as many times as the backoff limit allows. */
    BackoffLimitExceeded,
    /** The job ran, or waited for its pod, longer than activeDeadlineSeconds. */
    DeadlineExceeded,
    /** The container was killed for using more memory than its limit. */
    OOMKilled,
    /** The container succeeded but its termination message is not a result. */
    InvalidResult,
    /** The API server refused the Job built from the template. */
    JobRejected,
    /** Neither the ModelJob, its ModelVersion nor the operator's settings give an image. */
    NoImage,
    /** The Job was deleted before its outcome was recorded. */
    JobLost,
    /** The job type's effect is not implemented yet. */
    NotImplemented
}
