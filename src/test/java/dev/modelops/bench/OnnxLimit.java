package dev.modelops.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import dev.modelops.runner.data.Dataset;
import dev.modelops.runner.model.InputBinding;
import dev.modelops.runner.model.OnnxModel;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The limit of {@code runner-score}: ONNX Runtime called directly in a loop over the dataset's batches. The model is
 * loaded as the runner loads it ({@link OnnxModel}: the same session options) and every batch's input tensors are made
 * in advance, in memory, by the runner's own {@link InputBinding} from the cells DuckDB gives; only
 * {@code session.run} is timed, after an unmeasured pass over the first batches. It runs in a JVM of its own, with the
 * runner's classpath and JVM options ({@link #main}): the benchmark's JVM has every jar of the test classpath on its
 * command line, and ONNX Runtime crashes (SIGSEGV) in a process whose command line is over about 4 KB.
 */
final class OnnxLimit {

    private static final int WARM_UP_BATCHES = 200;

    private OnnxLimit() {
    }

    /** {@code <model> <dataset> <batch size>}: prints {@code onnx_rows_per_s=<rate>}. */
    public static void main(String[] args) throws Exception {
        System.out.println("onnx_rows_per_s=" + rowsPerSecond(Path.of(args[0]), Path.of(args[1]),
                Integer.parseInt(args[2])));
    }

    /** Rows per second of {@code session.run} over all the batches of {@code dataset}. */
    static double rowsPerSecond(Path model, Path dataset, int batchSize) throws Exception {
        try (OnnxModel onnx = OnnxModel.load(model, model.toUri().toString());
                Dataset data = Dataset.open(dataset, dataset.toString())) {
            InputBinding binding = InputBinding.of(onnx, data, Optional.empty());
            List<Map<String, OnnxTensor>> batches = new ArrayList<>();
            long rows = 0;
            try {
                try (ResultSet rs = data.stream(binding.columns())) {
                    List<Object[]> batch = new ArrayList<>(batchSize);
                    int width = binding.columns().size();
                    while (rs.next()) {
                        Object[] row = new Object[width];
                        for (int c = 0; c < width; c++) {
                            row[c] = rs.getObject(c + 1);
                        }
                        batch.add(row);
                        if (batch.size() == batchSize) {
                            batches.add(binding.tensors(onnx.environment(), batch));
                            batch = new ArrayList<>(batchSize);
                        }
                        rows++;
                    }
                    if (!batch.isEmpty()) {
                        batches.add(binding.tensors(onnx.environment(), batch));
                    }
                }
                for (Map<String, OnnxTensor> batch : batches.subList(0, Math.min(WARM_UP_BATCHES, batches.size()))) {
                    onnx.run(batch).close();
                }
                long nanos = 0;
                for (Map<String, OnnxTensor> batch : batches) {
                    long start = System.nanoTime();
                    OrtSession.Result result = onnx.run(batch);
                    nanos += System.nanoTime() - start;
                    result.close();
                }
                return rows / (nanos / 1e9);
            } finally {
                batches.forEach(batch -> batch.values().forEach(OnnxTensor::close));
            }
        }
    }
}
