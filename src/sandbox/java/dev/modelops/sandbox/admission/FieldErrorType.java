package dev.modelops.sandbox.admission;

/**
 * The kinds of field error an API server reports, with the cause type of the 422 Status and the words that start
 * the error body (Kubernetes {@code k8s.io/apimachinery/pkg/util/validation/field.ErrorType}).
 */
public enum FieldErrorType {
    REQUIRED("FieldValueRequired", "Required value", false),
    INVALID("FieldValueInvalid", "Invalid value", true),
    TYPE_INVALID("FieldValueTypeInvalid", "Invalid value", true),
    NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value", true),
    TOO_LONG("FieldValueTooLong", "Too long", false),
    TOO_MANY("FieldValueTooMany", "Too many", true),
    FORBIDDEN("FieldValueForbidden", "Forbidden", false),
    DUPLICATE("FieldValueDuplicate", "Duplicate value", true),
    INTERNAL("InternalError", "Internal error", false);

    private final String causeType;
    private final String label;
    private final boolean showsValue;

    FieldErrorType(String causeType, String label, boolean showsValue) {
        this.causeType = causeType;
        this.label = label;
        this.showsValue = showsValue;
    }

    /** The {@code type} of a {@code StatusCause}, such as {@code FieldValueInvalid}. */
    public String causeType() {
        return causeType;
    }

    /** How the error body starts, such as {@code Invalid value}. */
    public String label() {
        return label;
    }

    boolean showsValue() {
        return showsValue;
    }

    /**
     * Errors after which an API server does not run the CEL rules, because the object is not the shape the rules
     * were compiled for (apiextensions-apiserver {@code hasBlockingErr}).
     */
    boolean blocksCel() {
        return this == NOT_SUPPORTED || this == REQUIRED || this == TOO_LONG || this == TOO_MANY
                || this == TYPE_INVALID;
    }
}
