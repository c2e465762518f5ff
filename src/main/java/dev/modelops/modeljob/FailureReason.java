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
    /** The template's security context asks for more than the operator's pod security level. */
    PodSecurityExceeded,
    /** The template names a service account that the operator does not allow. */
    ServiceAccountNotAllowed,
    /**
     * The Job the status names is gone before its outcome was recorded: deleted, or the operator stopped between
     * naming it and creating it. It may have run; it is never created again.
     */
    JobLost,
    /** The Import reported an artifact digest other than the ModelVersion's spec.source.import.sha256, or none. */
    DigestMismatch,
    /** The request (Approve, Reject, Deploy, Retire) is out of order for the version's stage; nothing changed. */
    OutOfOrder,
    /** Another request of the same kind, taken first, was recorded by the version instead. */
    Superseded,
    /** The version recorded the Deploy and could not carry it out (its serving never became available). */
    DeployFailed,
    /** The request was accepted, and its ModelVersion was deleted before it recorded it. */
    ModelVersionDeleted
}
