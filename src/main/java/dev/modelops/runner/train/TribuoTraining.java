package dev.modelops.runner.train;

import ai.onnx.proto.OnnxMl;
import dev.modelops.runner.RunFailure;
import dev.modelops.runner.model.Feature;
import dev.modelops.runner.model.Task;
import org.tribuo.Example;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.ONNXExportable;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.evaluation.RegressionEvaluation;
import org.tribuo.regression.evaluation.RegressionEvaluator;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Trains a linear model with Tribuo (stochastic gradient descent with AdaGrad) on rows already encoded as feature
 * vectors, and exports it as ONNX with the runner's metadata. Tribuo names features; the names {@code f00000,
 * f00001 ...} sort in the vector's order, so the exported model's input is the vector as {@link Feature}s lay it
 * out.
 */
final class TribuoTraining {

    static final String LOGISTIC = "logistic-regression";
    static final String LINEAR = "linear-regression";

    /** Held, since the logging manager keeps its loggers only weakly: Tribuo's per-run INFO lines go quiet. */
    private static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

    private final TrainingSpec spec;
    private final Task task;
    private final String[] names;

    TribuoTraining(TrainingSpec spec, Task task, int width) {
        this.spec = spec;
        this.task = task;
        this.names = new String[width];
        for (int i = 0; i < width; i++) {
            names[i] = String.format(Locale.ROOT, "f%05d", i);
        }
        TRIBUO_LOG.setLevel(Level.WARNING);
    }

    /** A trained model, its classes in the order of its probability output, and its training metrics. */
    record Trained(byte[] onnx, List<String> classes, Map<String, Double> metrics) {
    }

    /** A row for {@link #train}: its encoded features and its label's cell. */
    record Row(double[] features, Object label) {
    }

    Trained train(List<Row> rows, Map<String, String> metadata) {
        String algorithm = spec.algorithm().orElse(task == Task.REGRESSION ? LINEAR : LOGISTIC);
        if (task == Task.REGRESSION ? !algorithm.equals(LINEAR) : !algorithm.equals(LOGISTIC)) {
            throw new RunFailure("algorithm " + algorithm + " does not fit task " + task.id() + ": use "
                    + (task == Task.REGRESSION ? LINEAR : LOGISTIC));
        }
        AdaGrad optimiser = new AdaGrad(spec.learningRate(), 0.1);
        if (task == Task.REGRESSION) {
            var trainer = new org.tribuo.regression.sgd.linear.LinearSGDTrainer(new SquaredLoss(), optimiser,
                    spec.epochs(), Integer.MAX_VALUE, spec.minibatch(), spec.seed());
            MutableDataset<Regressor> data = dataset(rows, new RegressionFactory(),
                    label -> new Regressor(spec.label(), number(label)));
            Model<Regressor> model = trainer.train(data);
            RegressionEvaluation evaluation = new RegressionEvaluator().evaluate(model, data);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("trainRmse", evaluation.averageRMSE());
            metrics.put("trainMae", evaluation.averageMAE());
            metrics.put("trainR2", evaluation.averageR2());
            return new Trained(export(model, metadata), List.of(), metrics);
        }
        var trainer = new org.tribuo.classification.sgd.linear.LinearSGDTrainer(new LogMulticlass(), optimiser,
                spec.epochs(), Integer.MAX_VALUE, spec.minibatch(), spec.seed());
        MutableDataset<Label> data = dataset(rows, new LabelFactory(), label -> new Label(label.toString()));
        Model<Label> model = trainer.train(data);
        LabelEvaluation evaluation = new LabelEvaluator().evaluate(model, data);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("trainAccuracy", evaluation.accuracy());
        metrics.put("trainMacroF1", evaluation.macroAveragedF1());
        ImmutableOutputInfo<Label> info = model.getOutputIDInfo();
        List<String> classes = new ArrayList<>();
        for (int id = 0; id < info.size(); id++) {
            classes.add(info.getOutput(id).getLabel());
        }
        if (task == Task.BINARY) {
            if (classes.size() != 2) {
                throw new RunFailure("task binary needs a label of two classes; " + spec.label() + " has "
                        + classes.size() + ": " + classes);
            }
            metrics.put("trainAuc", evaluation.AUCROC(new Label(Task.positiveClass(classes, java.util.Optional.empty()))));
        }
        return new Trained(export(model, metadataWithClasses(metadata, classes)), classes, metrics);
    }

    private static Map<String, String> metadataWithClasses(Map<String, String> metadata, List<String> classes) {
        Map<String, String> all = new LinkedHashMap<>(metadata);
        all.put(dev.modelops.runner.model.ModelMetadata.CLASSES, "[" + String.join(",",
                classes.stream().map(c -> "\"" + c.replace("\\", "\\\\").replace("\"", "\\\"") + "\"").toList()) + "]");
        return all;
    }

    private <T extends Output<T>> MutableDataset<T> dataset(List<Row> rows, OutputFactory<T> factory,
            java.util.function.Function<Object, T> label) {
        MutableDataset<T> data = new MutableDataset<>(new SimpleDataSourceProvenance(spec.label(), factory), factory);
        for (Row row : rows) {
            Example<T> example = new ArrayExample<>(label.apply(row.label()), names, row.features());
            data.add(example);
        }
        return data;
    }

    private byte[] export(Model<?> model, Map<String, String> metadata) {
        if (!(model instanceof ONNXExportable exportable)) {
            throw new IllegalStateException(model.getClass() + " cannot be exported as ONNX");
        }
        int width = model.getFeatureIDMap().size();
        if (width != names.length) {
            throw new RunFailure("the training data leave " + (names.length - width) + " of " + names.length
                    + " features always zero; drop constant columns with MODELOPS_FEATURE_COLUMNS");
        }
        OnnxMl.ModelProto.Builder proto = exportable.exportONNXModel("dev.modelops.runner", 1L).toBuilder();
        metadata.forEach((key, value) -> proto.addMetadataProps(
                OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
        return proto.build().toByteArray();
    }

    private double number(Object cell) {
        if (cell instanceof Number n) {
            return n.doubleValue();
        }
        throw new RunFailure("label " + spec.label() + " of task regression must be numeric, found " + cell);
    }

}
