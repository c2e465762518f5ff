package dev.modelops.bench;

import ai.onnx.proto.OnnxMl;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The heavier model of {@code runner-score}: a multilayer perceptron over the example model's features, built at run
 * time (no committed binary) with Tribuo's ONNX graph builder. Input {@code input} FLOAT[batch, 10] (as the example
 * model's) → Gemm 10×256 → Relu → Gemm 256×256 → Relu → Gemm 256×2 → Softmax → {@code output} FLOAT[batch, 2], about
 * 68,000 multiply-adds a row (the example model: 20). The weights are drawn from {@code new Random(}{@link #SEED}
 * {@code )} (Gaussian, scaled by 1/sqrt(fan-in)), so the file is the same on every run; the model is <b>untrained</b>:
 * its predictions mean nothing, only its cost matters. It carries the example model's {@code modelops.*}
 * metadata_props (feature layout, task, label, classes), so the runner binds the features and reads the
 * probabilities exactly as it does for the example model. It is only built here (protobuf, no ONNX Runtime), so the
 * benchmark's JVM, whose command line is long, never loads ONNX Runtime.
 */
final class MlpModel {

    static final long SEED = 20261202;
    static final int HIDDEN = 256;

    private MlpModel() {
    }

    /** Writes the MLP into {@code dir} with the {@code modelops.*} metadata of {@code example}; returns its path. */
    static Path build(Path dir, Path example) throws IOException {
        OnnxMl.ModelProto reference = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(example));
        List<OnnxMl.StringStringEntryProto> metadata = reference.getMetadataPropsList().stream()
                .filter(p -> p.getKey().startsWith("modelops.")).toList();
        OnnxMl.ValueInfoProto input = reference.getGraph().getInput(0);
        int features = (int) input.getType().getTensorType().getShape().getDim(1).getDimValue();
        int classes = (int) reference.getGraph().getOutput(0).getType().getTensorType().getShape().getDim(1)
                .getDimValue();

        Random random = new Random(SEED);
        ONNXContext context = new ONNXContext();
        ONNXPlaceholder in = context.floatInput(input.getName(), features);
        ONNXPlaceholder out = context.floatOutput(reference.getGraph().getOutput(0).getName(), classes);
        ONNXNode hidden1 = dense(context, random, "dense1", in, features, HIDDEN).apply(Relu.OPERATOR);
        ONNXNode hidden2 = dense(context, random, "dense2", hidden1, HIDDEN, HIDDEN).apply(Relu.OPERATOR);
        dense(context, random, "dense3", hidden2, HIDDEN, classes).apply(ONNXOperators.SOFTMAX).assignTo(out);
        context.setName("fraud-mlp");

        OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder().setIrVersion(reference.getIrVersion())
                .setProducerName("modelops-operator runner-score (untrained, seed " + SEED + ")")
                .addOpsetImport(ONNXOperators.getOpsetProto()).setGraph(context.buildGraph())
                .addAllMetadataProps(metadata).build();
        Files.createDirectories(dir);
        Path file = dir.resolve("fraud-mlp-" + SEED + ".onnx");
        Files.write(file, model.toByteArray());
        return file;
    }

    /** {@code x · W + b}, W [in, out] and b [out] Gaussian over sqrt(in). */
    private static ONNXNode dense(ONNXContext context, Random random, String name, ONNXRef<?> x, int in, int out) {
        double scale = 1 / Math.sqrt(in);
        ONNXInitializer weights = context.floatTensor(name + "_weights", List.of(in, out), buffer -> {
            for (int i = 0; i < in * out; i++) {
                buffer.put((float) (random.nextGaussian() * scale));
            }
        });
        ONNXInitializer bias = context.floatTensor(name + "_bias", List.of(out), buffer -> {
            for (int i = 0; i < out; i++) {
                buffer.put((float) (random.nextGaussian() * 0.1));
            }
        });
        return x.apply(ONNXOperators.GEMM, List.<ONNXRef<?>>of(weights, bias));
    }

    /** ONNX's Relu, which Tribuo's {@link ONNXOperators} (4.3) lacks: one input, one output, no attributes. */
    private enum Relu implements ONNXOperator {
        OPERATOR;

        @Override
        public String getOpName() {
            return "Relu";
        }

        @Override
        public int getNumInputs() {
            return 1;
        }

        @Override
        public int getNumOptionalInputs() {
            return 0;
        }

        @Override
        public int getNumOutputs() {
            return 1;
        }

        @Override
        public Map<String, ONNXAttribute> getAttributes() {
            return Map.of();
        }

        @Override
        public Set<String> getMandatoryAttributeNames() {
            return Set.of();
        }

        @Override
        public int getOpVersion() {
            return ONNXOperators.GEMM.getOpVersion();
        }

        @Override
        public String getOpDomain() {
            return ONNXOperators.GEMM.getOpDomain();
        }
    }
}
