package dev.modelops.sandbox.admission;

import java.math.BigDecimal;

/**
 * One cause of a refusal: the field, the kind of error, the offending value and the detail, rendered exactly as the
 * Kubernetes {@code field.Error} does, for example {@code spec.type: Unsupported value: "Foo": supported values: "Train"}.
 *
 * @param field the field path, such as {@code spec.source}; {@code <nil>} for an error about no field
 * @param badValue the value shown after the label: a String, Long, Double, Boolean, {@code null} (shown as null), or
 *                 {@link #OMIT_VALUE}
 */
public record FieldError(FieldErrorType type, String field, Object badValue, String detail) {

    /** The field path Kubernetes prints for an error that belongs to no field. */
    public static final String NO_FIELD = "<nil>";
    /** A bad value that is not shown. */
    public static final Object OMIT_VALUE = new Object();

    public static FieldError required(String field, String detail) {
        return new FieldError(FieldErrorType.REQUIRED, field, "", detail);
    }

    public static FieldError invalid(String field, Object value, String detail) {
        return new FieldError(FieldErrorType.INVALID, field, value, detail);
    }

    /** The message of a {@code StatusCause}: the error without its field. */
    public String body() {
        StringBuilder body = new StringBuilder(type.label());
        if (type.showsValue() && badValue != OMIT_VALUE) {
            body.append(": ").append(render(badValue));
        }
        if (detail != null && !detail.isEmpty()) {
            body.append(": ").append(detail);
        }
        return body.toString();
    }

    @Override
    public String toString() {
        return field + ": " + body();
    }

    private static String render(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String text) {
            return GoStrings.quote(text);
        }
        if (value instanceof Double number) {
            return GoStrings.formatFloat(number);
        }
        if (value instanceof BigDecimal number) {
            return GoStrings.formatFloat(number.doubleValue());
        }
        return String.valueOf(value);
    }
}
