package dev.modelops.runner.data;

import dev.modelops.runner.RunFailure;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The named, typed columns that rows come in: a dataset's, or an inference request's inputs read as columns.
 * {@code source} names where they come from in messages (a dataset's URI).
 */
public record Schema(String source, List<Column> columns) {

    public Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public Column require(String name, String role) {
        return column(name).orElseThrow(() -> new RunFailure(source + " has no column " + name + " (" + role
                + "); its columns are " + columns.stream().map(Column::name).collect(Collectors.joining(", "))));
    }
}
