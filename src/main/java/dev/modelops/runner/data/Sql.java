package dev.modelops.runner.data;

/** Quoting for the SQL the runner writes. */
public final class Sql {

    private Sql() {
    }

    public static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
