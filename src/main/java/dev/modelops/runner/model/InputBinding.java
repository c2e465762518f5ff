package dev.modelops.runner.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import dev.modelops.runner.RunFailure;
import dev.modelops.runner.data.Column;
import dev.modelops.runner.data.Dataset;
import dev.modelops.runner.data.Schema;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a dataset's columns become a model's inputs, checked before any row is read: one feature vector laid out by
 * the model's metadata ({@code modelops.features}) or by {@code MODELOPS_FEATURE_COLUMNS}; otherwise one input per
 * column of the same name. A dataset that does not meet the model's signature is refused with a message naming the
 * input and the column.
 */
public abstract sealed class InputBinding permits InputBinding.FeatureVector, InputBinding.PerColumn {

    /** The dataset columns the model reads, in the order {@link #tensors} expects each row's cells. */
    public abstract List<String> columns();

    /** The inputs for a batch of rows, each row the cells of {@link #columns}; the caller closes the tensors. */
    public abstract Map<String, OnnxTensor> tensors(OrtEnvironment env, List<Object[]> rows) throws OrtException;

    public static InputBinding of(OnnxModel model, Dataset dataset, Optional<List<String>> featureColumns) {
        return of(model, dataset.schema(), featureColumns);
    }

    /** The binding of rows of these columns (a dataset's, or an inference request's inputs) to the model. */
    public static InputBinding of(OnnxModel model, Schema dataset, Optional<List<String>> featureColumns) {
        Map<String, NodeInfo> inputs = model.inputs();
        Optional<List<Feature>> features = model.metadata().features()
                .or(() -> featureColumns.map(names -> names.stream().map(n -> Feature.numeric(n, 0, 1)).toList()));
        if (features.isPresent()) {
            if (inputs.size() != 1) {
                throw new RunFailure("the model " + model.uri() + " has " + inputs.size()
                        + " inputs; a feature vector needs exactly one");
            }
            NodeInfo input = inputs.values().iterator().next();
            return new FeatureVector(input.getName(), tensorInfo(model, input), features.get(), dataset, model);
        }
        return new PerColumn(model, dataset);
    }

    private static TensorInfo tensorInfo(OnnxModel model, NodeInfo input) {
        if (!(input.getInfo() instanceof TensorInfo tensor)) {
            throw new RunFailure("model input " + input.getName() + " of " + model.uri() + " is "
                    + ValueTypes.describe(input.getInfo()) + "; the runner feeds tensors only");
        }
        return tensor;
    }

    /** A single FLOAT [batch, n] input. */
    static final class FeatureVector extends InputBinding {

        private final String input;
        private final List<Feature> features;
        private final List<String> columns = new ArrayList<>();
        private final int[] cellOf;

        FeatureVector(String input, TensorInfo info, List<Feature> features, Schema dataset, OnnxModel model) {
            long[] shape = info.getShape();
            if (info.type != OnnxJavaType.FLOAT || shape.length != 2) {
                throw new RunFailure("model input " + input + " is " + ValueTypes.describe(info)
                        + "; a feature vector must be FLOAT[batch,n]");
            }
            if (shape[1] > 0 && shape[1] != features.size()) {
                throw new RunFailure("model input " + input + " takes " + shape[1] + " features but "
                        + features.size() + " are named (model metadata or MODELOPS_FEATURE_COLUMNS)");
            }
            this.input = input;
            this.features = features;
            this.cellOf = new int[features.size()];
            for (int i = 0; i < features.size(); i++) {
                Feature feature = features.get(i);
                Column column = dataset.require(feature.column(), "input of the model " + model.uri());
                if (!feature.isOneHot() && !column.numeric() && !column.type().equals("BOOLEAN")) {
                    throw new RunFailure("column " + column.name() + " of " + dataset.source() + " is "
                            + column.type() + " but the model " + model.uri() + " reads it as a number");
                }
                int at = columns.indexOf(feature.column());
                if (at < 0) {
                    columns.add(feature.column());
                    at = columns.size() - 1;
                }
                cellOf[i] = at;
            }
        }

        @Override
        public List<String> columns() {
            return columns;
        }

        @Override
        public Map<String, OnnxTensor> tensors(OrtEnvironment env, List<Object[]> rows) throws OrtException {
            int width = features.size();
            FloatBuffer values = FloatBuffer.allocate(rows.size() * width);
            for (Object[] row : rows) {
                for (int i = 0; i < width; i++) {
                    values.put(features.get(i).encode(row[cellOf[i]]));
                }
            }
            values.flip();
            return Map.of(input, OnnxTensor.createTensor(env, values, new long[] {rows.size(), width}));
        }
    }

    /** One input per column of the same name, each [batch] or [batch, 1]. */
    static final class PerColumn extends InputBinding {

        private final List<String> names = new ArrayList<>();
        private final List<TensorInfo> infos = new ArrayList<>();

        PerColumn(OnnxModel model, Schema dataset) {
            for (NodeInfo input : model.inputs().values()) {
                TensorInfo info = tensorInfo(model, input);
                Column column = dataset.column(input.getName()).orElseThrow(() -> new RunFailure("model input "
                        + input.getName() + " (" + ValueTypes.describe(info) + ") of " + model.uri()
                        + " has no column of that name in " + dataset.source()
                        + " (name its columns, in order, with MODELOPS_FEATURE_COLUMNS if it takes one vector)"));
                long[] shape = info.getShape();
                if (shape.length > 2 || (shape.length == 2 && shape[1] != 1 && shape[1] != -1)) {
                    throw new RunFailure("model input " + input.getName() + " is " + ValueTypes.describe(info)
                            + ": one column feeds a [batch] or [batch,1] tensor; name the columns of a vector with"
                            + " MODELOPS_FEATURE_COLUMNS");
                }
                if (!compatible(column, info.type)) {
                    throw new RunFailure("column " + column.name() + " of " + dataset.source() + " is "
                            + column.type() + " but model input " + input.getName() + " needs " + info.type);
                }
                names.add(input.getName());
                infos.add(info);
            }
        }

        private static boolean compatible(Column column, OnnxJavaType type) {
            return switch (type) {
                case FLOAT, DOUBLE -> column.numeric() || column.type().equals("BOOLEAN");
                case INT64, INT32, INT16, INT8 -> column.integral() || column.type().equals("BOOLEAN");
                case BOOL -> column.type().equals("BOOLEAN");
                case STRING -> true;
                default -> false;
            };
        }

        @Override
        public List<String> columns() {
            return names;
        }

        @Override
        public Map<String, OnnxTensor> tensors(OrtEnvironment env, List<Object[]> rows) throws OrtException {
            Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
            int n = rows.size();
            for (int c = 0; c < names.size(); c++) {
                TensorInfo info = infos.get(c);
                long[] shape = info.getShape().length == 1 ? new long[] {n} : new long[] {n, 1};
                tensors.put(names.get(c), tensor(env, info.type, rows, c, shape));
            }
            return tensors;
        }

        private static OnnxTensor tensor(OrtEnvironment env, OnnxJavaType type, List<Object[]> rows, int c,
                long[] shape) throws OrtException {
            int n = rows.size();
            switch (type) {
                case FLOAT -> {
                    float[] v = new float[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = (float) number(rows.get(i)[c], Float.NaN);
                    }
                    return OnnxTensor.createTensor(env, FloatBuffer.wrap(v), shape);
                }
                case DOUBLE -> {
                    double[] v = new double[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = number(rows.get(i)[c], Double.NaN);
                    }
                    return OnnxTensor.createTensor(env, java.nio.DoubleBuffer.wrap(v), shape);
                }
                case STRING -> {
                    String[] v = new String[n];
                    for (int i = 0; i < n; i++) {
                        Object cell = rows.get(i)[c];
                        v[i] = cell == null ? "" : cell.toString();
                    }
                    return OnnxTensor.createTensor(env, v, shape);
                }
                case BOOL -> {
                    boolean[] v = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = Boolean.TRUE.equals(rows.get(i)[c]);
                    }
                    return OnnxTensor.createTensor(env, shape.length == 1 ? v : column(v));
                }
                case INT32 -> {
                    int[] v = new int[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = (int) number(rows.get(i)[c], 0);
                    }
                    return OnnxTensor.createTensor(env, java.nio.IntBuffer.wrap(v), shape);
                }
                default -> {
                    long[] v = new long[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = (long) number(rows.get(i)[c], 0);
                    }
                    return OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(v), shape);
                }
            }
        }

        private static boolean[][] column(boolean[] v) {
            boolean[][] out = new boolean[v.length][1];
            for (int i = 0; i < v.length; i++) {
                out[i][0] = v[i];
            }
            return out;
        }

        private static double number(Object cell, double missing) {
            if (cell == null) {
                return missing;
            }
            return cell instanceof Boolean b ? (b ? 1 : 0) : ((Number) cell).doubleValue();
        }
    }
}
