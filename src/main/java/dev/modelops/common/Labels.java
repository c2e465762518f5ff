package dev.modelops.common;

/** The labels the operator puts on what it creates, so that {@code kubectl get -l} finds a model's history. */
public final class Labels {

    public static final String MODEL = "modelops.dev/model";
    public static final String MODEL_VERSION = "modelops.dev/model-version";
    public static final String JOB_TYPE = "modelops.dev/job-type";
    public static final String MODEL_JOB = "modelops.dev/model-job";
    /** The Job controller's label on a Job's pods: the Job's name. */
    public static final String JOB_NAME = "job-name";
    /** On a BatchPrediction's CronJob, its Jobs and pods: the BatchPrediction. */
    public static final String BATCH_PREDICTION = "modelops.dev/batch-prediction";
    /** On a model's champion record (a ConfigMap): the model. */
    public static final String CHAMPION_OF = "modelops.dev/champion-of";
    /** On the Deployment, Service and pods that serve a version online: the version. */
    public static final String SERVING = "modelops.dev/serving";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String OPERATOR = "modelops-operator";

    private Labels() {
    }
}
