package dev.modelops.modeljob;

import java.util.Arrays;
import java.util.Optional;

/** The reason of a ModelJob's Started condition: started, or what it waits for. */
enum StartReason {
    Started,
    /** It ended without its container ever starting. */
    NotStarted,
    PodPending,
    ModelVersionNotFound,
    /** The API server refused to create the Job for now (a quota, RBAC, the API unavailable); tried again. */
    JobNotCreated,
    /** A Job of the ModelJob's name exists and belongs to something else. */
    JobNameTaken,
    /** The Job has created no pod in time: admission (Pod Security, a quota, a service account) refuses them. */
    PodNotCreated,
    /** Someone else suspended the Job before its container started. */
    JobSuspended,
    /** The scheduler finds no node for the pod. */
    Unschedulable,
    // The kubelet's waiting reasons that need someone to act:
    ImagePullBackOff,
    ErrImagePull,
    InvalidImageName,
    CreateContainerConfigError,
    CreateContainerError,
    CrashLoopBackOff;

    private static final StartReason[] STUCK = {ImagePullBackOff, ErrImagePull, InvalidImageName,
            CreateContainerConfigError, CreateContainerError, CrashLoopBackOff};

    /** The kubelet's waiting reason, when it is one that needs someone to act. */
    static Optional<StartReason> stuck(String kubeletReason) {
        return Arrays.stream(STUCK).filter(reason -> reason.name().equals(kubeletReason)).findFirst();
    }
}
