package dev.modelops.runner.statistics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelops.runner.Command;
import dev.modelops.runner.Result;
import dev.modelops.runner.RunContext;
import dev.modelops.runner.RunnerEnv;
import dev.modelops.runner.data.Dataset;
import dev.modelops.runner.model.InputBinding;
import dev.modelops.runner.model.Models;
import dev.modelops.runner.model.OnnxModel;
import dev.modelops.runner.store.Storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code compute-statistics}: per-column statistics of the dataset at {@code MODELOPS_DATASET_URI}, and, when the
 * job names a model ({@code MODELOPS_ARTIFACT_URI}, ONNX), a check that the dataset has the model's inputs with
 * compatible types. The full report (JSON) is stored at {@code MODELOPS_OUTPUT_URI} when set, else beside the model
 * in the artifact store ({@code <store>/<model>/<version>/statistics.json}) when one is set; the result's
 * {@code statistics} is the summary, with the report's {@code uri}.
 */
public final class ComputeStatisticsCommand implements Command {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Result run(RunContext context) throws Exception {
        try (Dataset dataset = Models.dataset(context)) {
            Map<String, Object> extra = new LinkedHashMap<>();
            Optional<String> reportUri = context.env().get(RunnerEnv.OUTPUT_URI)
                    .map(uri -> uri.endsWith("/") ? Storage.join(uri, "statistics.json") : uri)
                    .or(() -> context.env().get(RunnerEnv.ARTIFACT_STORE)
                            .map(store -> context.storage().inArtifactStore("statistics.json")));
            reportUri.ifPresent(uri -> extra.put("uri", uri));
            if (context.env().get(RunnerEnv.ARTIFACT_URI).isPresent()) {
                try (OnnxModel model = Models.load(context)) {
                    InputBinding binding = InputBinding.of(model, dataset, Models.featureColumns(context.env()));
                    context.log().info("the dataset has the model's inputs: " + binding.columns());
                    extra.put("modelInputsChecked", true);
                }
            }
            long started = System.nanoTime();
            List<ColumnProfile> profiles = DatasetProfiler.profile(dataset);
            long rows = dataset.rows();
            context.log().info("profiled " + rows + " rows, " + profiles.size() + " columns in "
                    + (System.nanoTime() - started) / 1_000_000 + " ms");
            if (reportUri.isPresent()) {
                ObjectNode report = StatisticsJson.render(rows, profiles, StatisticsJson.Detail.REPORT, extra);
                Path file = context.workDir().resolve("statistics.json");
                Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
                context.storage().store(file, reportUri.get());
            } else {
                context.log().info("no MODELOPS_OUTPUT_URI or MODELOPS_ARTIFACT_STORE: the full report is not kept");
            }
            List<ObjectNode> forms = List.of(StatisticsJson.Detail.SUMMARY, StatisticsJson.Detail.COMPACT,
                    StatisticsJson.Detail.MOMENTS).stream()
                    .map(detail -> StatisticsJson.render(rows, profiles, detail, extra)).toList();
            return new Result().statistics(forms).metric("rows", rows).metric("columns", profiles.size());
        }
    }
}
