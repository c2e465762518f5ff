package dev.modelops.sandbox.admission;

/** Field paths as Kubernetes prints them: {@code spec.source}, {@code spec.gates[0]}, {@code spec.limits[cpu]}. */
final class FieldPaths {

    static final String ROOT = "";

    private FieldPaths() {
    }

    static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    static String index(String path, int index) {
        return path + "[" + index + "]";
    }

    static String key(String path, String key) {
        return path + "[" + key + "]";
    }

    /** The path in an error: the root has no field, printed {@code <nil>}. */
    static String display(String path) {
        return path.isEmpty() ? FieldError.NO_FIELD : path;
    }
}
