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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Streams a dataset through a model a batch of rows at a time, reading the next batches while the model runs: a few
 * batches are in memory, whatever the dataset's size.
 */
public final class BatchScorer {

    /** What to do with a batch: its rows (the cells of {@link #columns()}) and the model's predictions. */
    public interface Sink {
        void accept(List<Object[]> rows, List<Prediction> predictions) throws Exception;
    }

    /** Batches read ahead of the one being scored. */
    private static final int READ_AHEAD = 2;
    /** Handed over after the last batch. */
    private static final List<Object[]> END = new ArrayList<>(0);

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

    /**
     * Reads the next batches on a thread of their own while this one runs the model and the sink on the current one:
     * at most {@link #READ_AHEAD} batches wait, so memory stays bounded by the batch size, not the dataset's.
     */
    public void run(Dataset dataset, Progress progress, Sink sink) throws Exception {
        BlockingQueue<List<Object[]>> read = new ArrayBlockingQueue<>(READ_AHEAD);
        AtomicReference<Throwable> readFailure = new AtomicReference<>();
        Thread reader = new Thread(() -> readInto(read, dataset, readFailure), "runner-read");
        reader.setDaemon(true);
        reader.start();
        try {
            for (List<Object[]> batch = read.take(); batch != END; batch = read.take()) {
                score(batch, sink);
                progress.add(batch.size());
            }
        } catch (Exception | Error e) {
            reader.interrupt();
            read.clear(); // a reader waiting to hand over a batch sees the room and the interrupt
            reader.join(); // it closes its result set before the caller closes the connection
            throw e;
        }
        reader.join();
        Throwable failure = readFailure.get();
        if (failure instanceof Exception e) {
            throw e;
        } else if (failure instanceof Error e) {
            throw e;
        }
    }

    private void readInto(BlockingQueue<List<Object[]>> read, Dataset dataset, AtomicReference<Throwable> failure) {
        try (ResultSet rs = dataset.stream(columns)) {
            List<Object[]> batch = new ArrayList<>(batchSize);
            while (next(rs, dataset)) {
                Object[] row = new Object[columns.size()];
                for (int c = 0; c < row.length; c++) {
                    row[c] = rs.getObject(c + 1);
                }
                batch.add(row);
                if (batch.size() == batchSize) {
                    read.put(batch);
                    batch = new ArrayList<>(batchSize);
                }
            }
            if (!batch.isEmpty()) {
                read.put(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // the scoring side failed and stopped taking batches
        } catch (Throwable e) {
            failure.set(e);
        }
        try {
            read.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
