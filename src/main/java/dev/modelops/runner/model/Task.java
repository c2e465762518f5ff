package dev.modelops.runner.model;

import dev.modelops.runner.RunFailure;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What a model predicts: one of two classes, one of several, or a number. */
public enum Task {
    BINARY, MULTICLASS, REGRESSION;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Task parse(String value) {
        return Arrays.stream(values()).filter(t -> t.id().equalsIgnoreCase(value.strip())).findFirst()
                .orElseThrow(() -> new RunFailure("task " + value + " is not one of binary, multiclass, regression"));
    }

    /**
     * The positive class of a binary task: the one named, else "1" of 0/1, "true" of booleans, "yes" of yes/no,
     * else the second class in the model's order.
     */
    public static String positiveClass(List<String> classes, Optional<String> named) {
        if (named.isPresent()) {
            if (!classes.isEmpty() && !classes.contains(named.get())) {
                throw new RunFailure("positive class " + named.get() + " is not one of the model's classes " + classes);
            }
            return named.get();
        }
        for (String usual : List.of("1", "true", "yes", "1.0")) {
            if (classes.contains(usual)) {
                return usual;
            }
        }
        if (classes.size() != 2) {
            throw new RunFailure("a binary task needs two classes, the model has " + classes);
        }
        return classes.get(1);
    }
}
