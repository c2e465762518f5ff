package dev.modelops.runner.importer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelops.runner.Command;
import dev.modelops.runner.Result;
import dev.modelops.runner.RunContext;
import dev.modelops.runner.RunFailure;
import dev.modelops.runner.RunnerEnv;
import dev.modelops.runner.model.OnnxModel;
import dev.modelops.runner.store.Digests;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code import}: fetches the model at {@code MODELOPS_ARTIFACT_URI} ({@code file://}, {@code http(s)://} or
 * {@code s3://}), checks its SHA-256 against {@code MODELOPS_ARTIFACT_SHA256} when given, stores it in the artifact
 * store ({@code MODELOPS_ARTIFACT_STORE}) as {@code <model>/<version>/model.<format>}, and, for ONNX, loads it to
 * read its signature. Result: artifactUri, artifactDigest, and the signature as {@code statistics.signature}
 * (inputs and outputs by name, each its type and shape) with the model's metadata keys.
 */
public final class ImportCommand implements Command {

    @Override
    public Result run(RunContext context) throws Exception {
        String source = context.env().require(RunnerEnv.ARTIFACT_URI);
        String format = context.env().get(RunnerEnv.MODEL_FORMAT).orElse("ONNX");
        Path file = context.storage().fetch(source, context.workDir());
        String digest = Digests.sha256(file);
        context.env().get(RunnerEnv.ARTIFACT_SHA256).ifPresent(expected -> {
            if (!expected.equalsIgnoreCase(digest)) {
                throw new RunFailure("digest mismatch: " + source + " has sha256 " + digest + ", expected "
                        + expected.toLowerCase(Locale.ROOT));
            }
        });
        context.log().info("sha256 " + digest + (context.env().get(RunnerEnv.ARTIFACT_SHA256).isPresent()
                ? " verified" : " (no expected digest given)"));
        Result result = new Result();
        if (format.equalsIgnoreCase("ONNX")) {
            try (OnnxModel model = OnnxModel.load(file, source)) {
                ObjectNode statistics = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
                statistics.set("signature", model.signature());
                statistics.putArray("metadata").addAll(model.metadata().asMap().keySet().stream()
                        .map(com.fasterxml.jackson.databind.node.TextNode::valueOf).toList());
                context.log().info("signature " + statistics.get("signature"));
                result.statistics(List.of(statistics));
            }
        }
        String target = context.storage().inArtifactStore("model." + format.toLowerCase(Locale.ROOT));
        context.storage().store(file, target);
        return result.artifact(target, digest);
    }
}
