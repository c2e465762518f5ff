package dev.modelops.runner.data;

import java.util.Set;

/** A dataset column as DuckDB reads it: its name and SQL type (DOUBLE, BIGINT, VARCHAR, BOOLEAN ...). */
public record Column(String name, String type) {

    private static final Set<String> NUMERIC = Set.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
            "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "REAL");

    public boolean numeric() {
        return NUMERIC.contains(type) || type.startsWith("DECIMAL");
    }

    public boolean integral() {
        return numeric() && !type.startsWith("DECIMAL") && !type.equals("FLOAT") && !type.equals("DOUBLE")
                && !type.equals("REAL");
    }

    /** Text and booleans: summarised by their most frequent values. */
    public boolean categorical() {
        return type.equals("VARCHAR") || type.equals("BOOLEAN");
    }

    public String sql() {
        return Sql.identifier(name);
    }
}
