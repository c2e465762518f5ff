package dev.modelops.runner.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelops.runner.RunFailure;

import java.nio.file.Path;
import java.util.Map;

/** An ONNX model loaded into ONNX Runtime: its signature, its metadata, and inference. */
public final class OnnxModel implements AutoCloseable {

    private final String uri;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final ModelMetadata metadata;

    private OnnxModel(String uri, OrtEnvironment environment, OrtSession session, ModelMetadata metadata) {
        this.uri = uri;
        this.environment = environment;
        this.session = session;
        this.metadata = metadata;
    }

    /** Loads the local copy {@code file} of the model at {@code uri}. */
    public static OnnxModel load(Path file, String uri) {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(Math.max(1, Runtime.getRuntime().availableProcessors()));
            // ONNX Runtime's idle intra-op threads spin by default, taking a core from the runner's reading and
            // writing between two batches: scoring 1 M rows took about 40 % more CPU (README, runner-score).
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            OrtSession session = environment.createSession(file.toString(), options);
            return new OnnxModel(uri, environment, session,
                    new ModelMetadata(session.getMetadata().getCustomMetadata()));
        } catch (OrtException e) {
            throw new RunFailure("cannot load the ONNX model " + uri + ": " + e.getMessage(), e);
        }
    }

    public String uri() {
        return uri;
    }

    public OrtEnvironment environment() {
        return environment;
    }

    public ModelMetadata metadata() {
        return metadata;
    }

    public Map<String, NodeInfo> inputs() {
        try {
            return session.getInputInfo();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    public Map<String, NodeInfo> outputs() {
        try {
            return session.getOutputInfo();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Inputs and outputs by name, each as its type and shape, such as {@code "FLOAT[-1,9]"}. */
    public ObjectNode signature() {
        ObjectNode signature = JsonNodeFactory.instance.objectNode();
        ObjectNode in = signature.putObject("inputs");
        inputs().forEach((name, info) -> in.put(name, ValueTypes.describe(info.getInfo())));
        ObjectNode out = signature.putObject("outputs");
        outputs().forEach((name, info) -> out.put(name, ValueTypes.describe(info.getInfo())));
        return signature;
    }

    public OrtSession.Result run(Map<String, OnnxTensor> tensors) {
        try {
            return session.run(tensors);
        } catch (OrtException e) {
            throw new RunFailure("the model " + uri + " failed on a batch: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // the session's native memory goes with the process
        }
    }
}
