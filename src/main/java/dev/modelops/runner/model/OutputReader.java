package dev.modelops.runner.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import dev.modelops.runner.RunFailure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Reads a model's outputs as {@link Prediction}s. A classifier gives class probabilities, as a FLOAT[batch, classes]
 * tensor (the classes named by the model's metadata, or 0..n-1) or as a sequence of maps from class to probability
 * (scikit-learn's ZipMap), and perhaps a label tensor; a regression gives one value per row.
 */
public final class OutputReader {

    private final String probabilities;
    private final boolean zipMap;
    private final String value;
    private final String label;
    private List<String> classes;

    private OutputReader(String probabilities, boolean zipMap, String value, String label, List<String> classes) {
        this.probabilities = probabilities;
        this.zipMap = zipMap;
        this.value = value;
        this.label = label;
        this.classes = classes;
    }

    public static OutputReader of(OnnxModel model) {
        String probabilities = null;
        boolean zipMap = false;
        String value = null;
        String label = null;
        for (NodeInfo output : model.outputs().values()) {
            if (output.getInfo() instanceof SequenceInfo sequence && sequence.isSequenceOfMaps()
                    && probabilities == null) {
                probabilities = output.getName();
                zipMap = true;
            } else if (output.getInfo() instanceof TensorInfo tensor) {
                long[] shape = tensor.getShape();
                boolean real = tensor.type == OnnxJavaType.FLOAT || tensor.type == OnnxJavaType.DOUBLE;
                boolean single = shape.length == 1 || (shape.length == 2 && shape[1] == 1);
                if (real && shape.length == 2 && !single && probabilities == null) {
                    probabilities = output.getName();
                } else if (real && single && value == null) {
                    value = output.getName();
                } else if ((tensor.type == OnnxJavaType.INT64 || tensor.type == OnnxJavaType.STRING) && single
                        && label == null) {
                    label = output.getName();
                }
            }
        }
        if (probabilities == null && value == null && label == null) {
            throw new RunFailure("the model " + model.uri() + " has no output the runner can read: "
                    + model.signature().get("outputs") + " (expected class probabilities, a label or a value)");
        }
        List<String> classes = model.metadata().classes().orElse(List.of());
        return new OutputReader(probabilities, zipMap, value, label, classes);
    }

    /** Whether the model gives class probabilities (a classifier) rather than one value per row. */
    public boolean classifier() {
        return probabilities != null;
    }

    /** The classes in the order of {@link Prediction#probabilities}; known after the first batch when not named. */
    public List<String> classes() {
        return classes;
    }

    public List<Prediction> read(OrtSession.Result result, int rows) throws OrtException {
        double[][] probs = probabilities == null ? null : probabilities(result.get(probabilities).orElseThrow(), rows);
        double[] values = value == null ? null : column(result.get(value).orElseThrow().getValue(), rows);
        String[] labels = label == null ? null : labels(result.get(label).orElseThrow().getValue(), rows);
        List<Prediction> predictions = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            double[] p = probs == null ? new double[0] : probs[i];
            String predicted = labels != null ? labels[i]
                    : p.length > 0 ? classes.get(argmax(p)) : Double.toString(values[i]);
            double v = values != null ? values[i] : p.length == 2 ? p[1] : p.length > 0 ? p[argmax(p)] : Double.NaN;
            predictions.add(new Prediction(predicted, v, p));
        }
        return predictions;
    }

    private double[][] probabilities(OnnxValue output, int rows) throws OrtException {
        if (zipMap) {
            List<?> maps = (List<?>) output.getValue();
            double[][] out = new double[rows][];
            for (int i = 0; i < rows; i++) {
                Object element = maps.get(i);
                Map<?, ?> map = element instanceof OnnxMap onnxMap ? onnxMap.getValue() : (Map<?, ?>) element;
                TreeMap<String, Double> sorted = new TreeMap<>();
                map.forEach((k, v) -> sorted.put(k.toString(), ((Number) v).doubleValue()));
                if (classes.isEmpty()) {
                    classes = List.copyOf(sorted.keySet());
                }
                out[i] = classes.stream().mapToDouble(c -> Optional.ofNullable(sorted.get(c)).orElse(0.0)).toArray();
            }
            return out;
        }
        Object raw = output.getValue();
        double[][] out = new double[rows][];
        for (int i = 0; i < rows; i++) {
            out[i] = raw instanceof float[][] f ? toDouble(f[i]) : ((double[][]) raw)[i].clone();
        }
        if (classes.isEmpty() && rows > 0) {
            classes = IntStream.range(0, out[0].length).mapToObj(Integer::toString).toList();
        }
        return out;
    }

    private static double[] toDouble(float[] row) {
        double[] out = new double[row.length];
        for (int i = 0; i < row.length; i++) {
            out[i] = row[i];
        }
        return out;
    }

    private static double[] column(Object raw, int rows) {
        double[] out = new double[rows];
        for (int i = 0; i < rows; i++) {
            if (raw instanceof float[] f) {
                out[i] = f[i];
            } else if (raw instanceof double[] d) {
                out[i] = d[i];
            } else if (raw instanceof float[][] f) {
                out[i] = f[i][0];
            } else {
                out[i] = ((double[][]) raw)[i][0];
            }
        }
        return out;
    }

    private static String[] labels(Object raw, int rows) {
        String[] out = new String[rows];
        for (int i = 0; i < rows; i++) {
            if (raw instanceof long[] l) {
                out[i] = Long.toString(l[i]);
            } else if (raw instanceof String[] s) {
                out[i] = s[i];
            } else if (raw instanceof long[][] l) {
                out[i] = Long.toString(l[i][0]);
            } else {
                out[i] = ((String[][]) raw)[i][0];
            }
        }
        return out;
    }

    static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }
}
