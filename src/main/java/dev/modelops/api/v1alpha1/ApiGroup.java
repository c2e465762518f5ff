package dev.modelops.api.v1alpha1;

/** Names of the API group that the operator serves. */
public final class ApiGroup {
    public static final String NAME = "modelops.dev";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = NAME + "/" + VERSION;
    /** kubectl get modelops lists every kind of the group. */
    public static final String CATEGORY = "modelops";

    private ApiGroup() {
    }
}
