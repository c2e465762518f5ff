package dev.modelops.runner.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.modelops.runner.Progress;
import dev.modelops.runner.data.Dataset;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Streams a dataset through a model a batch of rows at a time: only one batch is in memory, whatever the dataset's
 * size.
 */
public final class BatchScorer {

    /** What to do with a batch: its rows (the cells of {@link #columns()}) and the model's predictions. */
    public interface Sink {
        void accept(List<Object[]> rows, List<Prediction> predictions) throws Exception;
    }

    private final OnnxModel model;
    private final InputBinding binding;
    private final OutputReader reader;
    private final int batchSize;
    private final List<String> columns;
    private final int[] inputCells;

    /** Reads {@code also} besides the model's inputs (for example the label, or every column to copy). */
    public BatchScorer(OnnxModel model, InputBinding binding, OutputReader reader, int batchSize, List<String> also) {
        this.model = model;
        this.binding = binding;
        this.reader = reader;
        this.batchSize = batchSize;
        LinkedHashSet<String> selected = new LinkedHashSet<>(also);
        selected.addAll(binding.columns());
        this.columns = List.copyOf(selected);
        this.inputCells = binding.columns().stream().mapToInt(columns::indexOf).toArray();
    }

    public List<String> columns() {
        return columns;
    }

    public OutputReader reader() {
        return reader;
    }

    public void run(Dataset dataset, Progress progress, Sink sink) throws Exception {
        try (ResultSet rs = dataset.stream(columns)) {
            List<Object[]> batch = new ArrayList<>(batchSize);
            while (next(rs, dataset)) {
                Object[] row = new Object[columns.size()];
                for (int c = 0; c < row.length; c++) {
                    row[c] = rs.getObject(c + 1);
                }
                batch.add(row);
                if (batch.size() == batchSize) {
                    score(batch, sink);
                    progress.add(batch.size());
                    batch = new ArrayList<>(batchSize);
                }
            }
            if (!batch.isEmpty()) {
                score(batch, sink);
                progress.add(batch.size());
            }
        }
    }

    private static boolean next(ResultSet rs, Dataset dataset) {
        try {
            return rs.next();
        } catch (SQLException e) {
            throw dataset.failure(e);
        }
    }

    private void score(List<Object[]> batch, Sink sink) throws Exception {
        List<Object[]> inputs = new ArrayList<>(batch.size());
        for (Object[] row : batch) {
            Object[] cells = new Object[inputCells.length];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = row[inputCells[i]];
            }
            inputs.add(cells);
        }
        Map<String, OnnxTensor> tensors = binding.tensors(model.environment(), inputs);
        try (OrtSession.Result result = model.run(tensors)) {
            sink.accept(batch, reader.read(result, batch.size()));
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }
}
