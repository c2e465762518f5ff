package dev.modelops.runner.model;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One position of a model's feature vector, as a model trained by the runner records it in its metadata
 * ({@code modelops.features}): a numeric column standardised by {@code (x - center) / scale} (missing is 0, the
 * mean), or the one-hot indicator of a categorical column's {@code value}.
 */
public record Feature(String column, String value, double center, double scale) {

    public static Feature numeric(String column, double center, double scale) {
        return new Feature(column, null, center, scale);
    }

    public static Feature oneHot(String column, String value) {
        return new Feature(column, value, 0, 1);
    }

    @JsonIgnore
    public boolean isOneHot() {
        return value != null;
    }

    /** The feature's value for a cell of its column (null when missing). */
    public float encode(Object cell) {
        if (isOneHot()) {
            return cell != null && value.equals(cell.toString()) ? 1f : 0f;
        }
        if (cell == null) {
            return 0f;
        }
        double x = cell instanceof Boolean b ? (b ? 1 : 0) : ((Number) cell).doubleValue();
        return (float) ((x - center) / scale);
    }
}
