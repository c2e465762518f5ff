package dev.modelops.runner.train;

import dev.modelops.runner.RunFailure;
import dev.modelops.runner.data.Column;
import dev.modelops.runner.data.Dataset;
import dev.modelops.runner.model.Feature;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The feature vector of a model to train, measured on the training data in SQL: each numeric column standardised by
 * its mean and standard deviation, each categorical column one-hot over its most frequent values.
 */
final class FeatureLayout {

    private FeatureLayout() {
    }

    static List<Feature> of(Dataset dataset, List<Column> columns, int maxCategories) {
        List<Feature> features = new ArrayList<>();
        try (Statement statement = dataset.connection().createStatement()) {
            for (Column column : columns) {
                if (column.numeric()) {
                    try (ResultSet rs = statement.executeQuery("SELECT avg(" + column.sql() + "), stddev_pop("
                            + column.sql() + ") FROM " + dataset.source())) {
                        rs.next();
                        double mean = rs.getDouble(1);
                        double std = rs.getDouble(2);
                        features.add(Feature.numeric(column.name(), mean, std > 0 ? std : 1));
                    }
                } else if (column.categorical()) {
                    try (ResultSet rs = statement.executeQuery("SELECT CAST(" + column.sql() + " AS VARCHAR) v FROM "
                            + dataset.source() + " WHERE " + column.sql() + " IS NOT NULL GROUP BY v"
                            + " ORDER BY count(*) DESC, v LIMIT " + maxCategories)) {
                        List<String> values = new ArrayList<>();
                        while (rs.next()) {
                            values.add(rs.getString(1));
                        }
                        values.stream().sorted().forEach(v -> features.add(Feature.oneHot(column.name(), v)));
                    }
                } else {
                    throw new RunFailure("column " + column.name() + " of dataset " + dataset.uri() + " is "
                            + column.type() + ": train reads numbers, text and booleans; leave it out with"
                            + " MODELOPS_FEATURE_COLUMNS");
                }
            }
        } catch (SQLException e) {
            throw dataset.failure(e);
        }
        return features;
    }
}
