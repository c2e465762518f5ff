package dev.modelops.runner.serve;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelops.runner.RunFailure;
import dev.modelops.runner.data.Column;
import dev.modelops.runner.data.Schema;
import dev.modelops.runner.model.Feature;
import dev.modelops.runner.model.InputBinding;
import dev.modelops.runner.model.OnnxModel;
import dev.modelops.runner.model.OutputReader;
import dev.modelops.runner.model.Prediction;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A model as the Open Inference Protocol (v2) sees it: its metadata, and inference on a request's tensors. A request
 * gives either the model's own inputs (tensors by name, row-major), or, for a model whose feature vector is laid out
 * by its metadata ({@code modelops.features}) or by {@code MODELOPS_FEATURE_COLUMNS}, one input per raw column, which
 * the runner's {@link InputBinding} turns into the vector as score does. The response holds the model's tensor
 * outputs and, when the runner can read them, {@code prediction} (the class or value, as score writes it) and
 * {@code probabilities} (a classifier's, in the order of the model's classes).
 */
final class ServedModel {

    static final String PREDICTION = "prediction";
    static final String PROBABILITIES = "probabilities";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final OnnxModel model;
    private final String name;
    private final String version;
    private final Optional<List<String>> featureColumns;
    /** The raw columns of a feature-vector model and whether the model reads each as a number; empty otherwise. */
    private final Map<String, Boolean> columns = new LinkedHashMap<>();
    private final Optional<OutputReader> reader;
    private final Set<String> derived = new LinkedHashSet<>();

    ServedModel(OnnxModel model, String name, String version, Optional<List<String>> featureColumns) {
        this.model = model;
        this.name = name;
        this.version = version;
        this.featureColumns = featureColumns;
        Optional<List<Feature>> features = model.metadata().features()
                .or(() -> featureColumns.map(names -> names.stream().map(n -> Feature.numeric(n, 0, 1)).toList()));
        features.ifPresent(list -> list.forEach(f -> columns.merge(f.column(), !f.isOneHot(), Boolean::logicalOr)));
        Optional<OutputReader> readable;
        try {
            readable = Optional.of(OutputReader.of(model));
        } catch (RunFailure e) {
            readable = Optional.empty();
        }
        this.reader = readable;
        reader.ifPresent(r -> {
            if (!model.outputs().containsKey(PREDICTION)) {
                derived.add(PREDICTION);
            }
            if (r.classifier() && !model.outputs().containsKey(PROBABILITIES)) {
                derived.add(PROBABILITIES);
            }
        });
    }

    String name() {
        return name;
    }

    String version() {
        return version;
    }

    /** The model metadata response: name, versions, platform, inputs and outputs; raw columns and classes aside. */
    ObjectNode metadata() {
        ObjectNode node = JSON.objectNode().put("name", name);
        node.putArray("versions").add(version);
        node.put("platform", "onnxruntime_onnx");
        ArrayNode inputs = node.putArray("inputs");
        model.inputs().values().forEach(input -> tensorMetadata(input).ifPresent(inputs::add));
        ArrayNode outputs = node.putArray("outputs");
        model.outputs().values().forEach(output -> tensorMetadata(output).ifPresent(outputs::add));
        if (derived.contains(PREDICTION)) {
            outputs.add(tensor(PREDICTION, Datatype.BYTES.name(), new long[] {-1}));
        }
        List<String> classes = reader.map(OutputReader::classes).orElse(List.of());
        if (derived.contains(PROBABILITIES)) {
            outputs.add(tensor(PROBABILITIES, Datatype.FP64.name(),
                    new long[] {-1, classes.isEmpty() ? -1 : classes.size()}));
        }
        ObjectNode parameters = JSON.objectNode();
        if (!columns.isEmpty()) {
            ArrayNode raw = parameters.putArray("columns");
            columns.forEach((column, number) -> raw.add(tensor(column,
                    (number ? Datatype.FP64 : Datatype.BYTES).name(), new long[] {-1})));
        }
        if (!classes.isEmpty()) {
            classes.forEach(parameters.putArray("classes")::add);
        }
        if (!parameters.isEmpty()) {
            node.set("parameters", parameters);
        }
        return node;
    }

    private static Optional<ObjectNode> tensorMetadata(NodeInfo node) {
        return node.getInfo() instanceof TensorInfo info
                ? Optional.of(tensor(node.getName(), Datatype.name(info.type), info.getShape()))
                : Optional.empty();
    }

    private static ObjectNode tensor(String name, String datatype, long[] shape) {
        ObjectNode node = JSON.objectNode().put("name", name).put("datatype", datatype);
        ArrayNode dims = node.putArray("shape");
        Arrays.stream(shape).forEach(dims::add);
        return node;
    }

    /** The inference response for a request, or a {@link BadRequest} naming what is wrong with it. */
    ObjectNode infer(JsonNode request) throws OrtException {
        if (!request.isObject()) {
            throw BadRequest.of("the request is not a JSON object");
        }
        List<Input> inputs = inputs(request.path("inputs"));
        List<String> wanted = wantedOutputs(request.get("outputs"));
        Set<String> names = inputs.stream().map(Input::name).collect(Collectors.toCollection(LinkedHashSet::new));
        Map<String, OnnxTensor> tensors = model.inputs().keySet().containsAll(names) || columns.isEmpty()
                ? modelInputs(inputs) : columnInputs(inputs);
        try (OrtSession.Result result = model.run(tensors)) {
            ObjectNode response = JSON.objectNode().put("model_name", name).put("model_version", version);
            if (request.hasNonNull("id")) {
                response.put("id", request.get("id").asText());
            }
            ArrayNode outputs = response.putArray("outputs");
            for (String output : wanted) {
                if (!derived.contains(output)) {
                    outputs.add(output(output, result.get(output).orElseThrow()));
                }
            }
            if (wanted.stream().anyMatch(derived::contains)) {
                int rows = (int) inputs.get(0).rows();
                List<Prediction> predictions = reader.orElseThrow().read(result, rows);
                if (wanted.contains(PREDICTION) && derived.contains(PREDICTION)) {
                    ArrayNode data = JSON.arrayNode();
                    predictions.forEach(p -> data.add(p.label()));
                    outputs.add(tensor(PREDICTION, Datatype.BYTES.name(), new long[] {rows}).set("data", data));
                }
                if (wanted.contains(PROBABILITIES) && derived.contains(PROBABILITIES)) {
                    ArrayNode data = JSON.arrayNode();
                    predictions.forEach(p -> Arrays.stream(p.probabilities()).forEach(data::add));
                    int width = predictions.isEmpty() ? 0 : predictions.get(0).probabilities().length;
                    outputs.add(tensor(PROBABILITIES, Datatype.FP64.name(), new long[] {rows, width})
                            .set("data", data));
                }
            }
            return response;
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    /** One input of a request: its data flattened row-major, checked against its shape. */
    private record Input(String name, Datatype datatype, long[] shape, List<JsonNode> data) {

        long rows() {
            return shape.length == 0 ? 1 : shape[0];
        }
    }

    private static List<Input> inputs(JsonNode node) {
        if (!node.isArray() || node.isEmpty()) {
            throw BadRequest.of("the request has no inputs: expected \"inputs\": [{\"name\", \"shape\", \"datatype\","
                    + " \"data\"}, ...]");
        }
        List<Input> inputs = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (JsonNode input : node) {
            String name = input.path("name").asText("");
            if (name.isEmpty()) {
                throw BadRequest.of("an input has no name");
            }
            if (!seen.add(name)) {
                throw BadRequest.of("input " + name + " is given twice");
            }
            String type = input.path("datatype").asText("");
            Datatype datatype = Datatype.parse(type).orElseThrow(() -> BadRequest.of("input " + name
                    + " has datatype " + (type.isEmpty() ? "(none)" : type) + "; expected one of "
                    + Arrays.toString(Datatype.values())));
            JsonNode shapeNode = input.path("shape");
            if (!shapeNode.isArray()) {
                throw BadRequest.of("input " + name + " has no shape");
            }
            long[] shape = new long[shapeNode.size()];
            long size = 1;
            for (int i = 0; i < shape.length; i++) {
                JsonNode dim = shapeNode.get(i);
                if (!dim.canConvertToLong() || !dim.isIntegralNumber() || dim.asLong() < 0) {
                    throw BadRequest.of("input " + name + " has shape " + shapeNode + "; dimensions are whole numbers"
                            + " of at least 0");
                }
                shape[i] = dim.asLong();
                size *= shape[i];
            }
            List<JsonNode> data = new ArrayList<>();
            flatten(input.path("data"), data, name);
            if (data.size() != size) {
                throw BadRequest.of("input " + name + " has " + data.size() + " values but its shape "
                        + shapeNode + " holds " + size);
            }
            for (JsonNode value : data) {
                check(name, datatype, value);
            }
            inputs.add(new Input(name, datatype, shape, data));
        }
        long rows = inputs.get(0).rows();
        for (Input input : inputs) {
            if (input.rows() != rows) {
                throw BadRequest.of("input " + input.name() + " has " + input.rows() + " rows but "
                        + inputs.get(0).name() + " has " + rows);
            }
        }
        return inputs;
    }

    private static void flatten(JsonNode node, List<JsonNode> into, String input) {
        if (!node.isArray()) {
            throw BadRequest.of("input " + input + " has no data array");
        }
        for (JsonNode value : node) {
            if (value.isArray()) {
                flatten(value, into, input);
            } else {
                into.add(value);
            }
        }
    }

    private static void check(String input, Datatype datatype, JsonNode value) {
        boolean ok = switch (datatype) {
            case FP32, FP64 -> value.isNumber() || value.isNull();
            case INT64, INT32 -> value.isIntegralNumber() || value.isNull();
            case BOOL -> value.isBoolean() || value.isNull();
            case BYTES -> value.isTextual() || value.isNull();
        };
        if (!ok) {
            throw BadRequest.of("input " + input + " is " + datatype + " but holds " + value);
        }
    }

    private List<String> wantedOutputs(JsonNode node) {
        List<String> available = new ArrayList<>();
        model.outputs().values().stream().filter(o -> o.getInfo() instanceof TensorInfo)
                .forEach(o -> available.add(o.getName()));
        available.addAll(derived);
        if (node == null || node.isNull()) {
            return available;
        }
        if (!node.isArray()) {
            throw BadRequest.of("\"outputs\" is not an array of {\"name\": ...}");
        }
        List<String> wanted = new ArrayList<>();
        for (JsonNode output : node) {
            String name = output.path("name").asText("");
            if (!available.contains(name)) {
                throw BadRequest.of("unknown output " + (name.isEmpty() ? "(no name)" : name) + ": the model's are "
                        + String.join(", ", available));
            }
            wanted.add(name);
        }
        return wanted.isEmpty() ? available : wanted;
    }

    /** The request's tensors as the model's own inputs, each of the input's datatype and a shape it accepts. */
    private Map<String, OnnxTensor> modelInputs(List<Input> inputs) throws OrtException {
        Map<String, Input> byName = new LinkedHashMap<>();
        inputs.forEach(i -> byName.put(i.name(), i));
        for (Input input : inputs) {
            if (!model.inputs().containsKey(input.name())) {
                throw BadRequest.of("unknown input " + input.name() + ": the model's inputs are " + signature());
            }
        }
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        try {
            for (NodeInfo node : model.inputs().values()) {
                Input input = byName.get(node.getName());
                if (input == null) {
                    throw BadRequest.of("missing input " + node.getName() + ": the model's inputs are " + signature());
                }
                TensorInfo info = (TensorInfo) node.getInfo();
                if (input.datatype().onnx() != info.type) {
                    throw BadRequest.of("input " + input.name() + " is " + input.datatype() + " but the model takes "
                            + Datatype.name(info.type));
                }
                long[] expected = info.getShape();
                boolean fits = expected.length == input.shape().length;
                for (int i = 0; fits && i < expected.length; i++) {
                    fits = expected[i] < 0 || expected[i] == input.shape()[i];
                }
                if (!fits) {
                    throw BadRequest.of("input " + input.name() + " has shape " + Arrays.toString(input.shape())
                            + " but the model takes " + Arrays.toString(expected) + " (-1: any)");
                }
                tensors.put(input.name(), tensor(input));
            }
            return tensors;
        } catch (RuntimeException | OrtException e) {
            tensors.values().forEach(OnnxTensor::close);
            throw e;
        }
    }

    private String signature() {
        return model.inputs().values().stream()
                .map(n -> n.getName() + " " + (n.getInfo() instanceof TensorInfo t
                        ? Datatype.name(t.type) + Arrays.toString(t.getShape()) : "(not a tensor)"))
                .collect(Collectors.joining(", "));
    }

    private OnnxTensor tensor(Input input) throws OrtException {
        List<JsonNode> data = input.data();
        int n = data.size();
        var env = model.environment();
        switch (input.datatype()) {
            case FP32 -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = data.get(i).isNull() ? Float.NaN : data.get(i).floatValue();
                }
                return OnnxTensor.createTensor(env, FloatBuffer.wrap(v), input.shape());
            }
            case FP64 -> {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = data.get(i).isNull() ? Double.NaN : data.get(i).doubleValue();
                }
                return OnnxTensor.createTensor(env, DoubleBuffer.wrap(v), input.shape());
            }
            case INT64 -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = data.get(i).asLong();
                }
                return OnnxTensor.createTensor(env, LongBuffer.wrap(v), input.shape());
            }
            case INT32 -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = data.get(i).asInt();
                }
                return OnnxTensor.createTensor(env, IntBuffer.wrap(v), input.shape());
            }
            case BOOL -> {
                ByteBuffer v = ByteBuffer.allocateDirect(n).order(ByteOrder.nativeOrder());
                for (int i = 0; i < n; i++) {
                    v.put((byte) (data.get(i).asBoolean() ? 1 : 0));
                }
                v.flip();
                return OnnxTensor.createTensor(env, v, input.shape(), OnnxJavaType.BOOL);
            }
            default -> {
                String[] v = new String[n];
                for (int i = 0; i < n; i++) {
                    v[i] = data.get(i).isNull() ? "" : data.get(i).asText();
                }
                return OnnxTensor.createTensor(env, v, input.shape());
            }
        }
    }

    /** The request's inputs as raw columns, one value a row, turned into the model's tensor by its binding. */
    private Map<String, OnnxTensor> columnInputs(List<Input> inputs) throws OrtException {
        for (Input input : inputs) {
            Boolean number = columns.get(input.name());
            if (number == null) {
                throw BadRequest.of("unknown input " + input.name() + ": the model takes its own inputs ("
                        + signature() + ") or one input per column: " + describeColumns());
            }
            if (input.shape().length == 0 || input.shape().length > 2
                    || (input.shape().length == 2 && input.shape()[1] != 1)) {
                throw BadRequest.of("input " + input.name() + " has shape " + Arrays.toString(input.shape())
                        + "; a column is [rows] or [rows, 1]");
            }
            if (number && !input.datatype().numeric()) {
                throw BadRequest.of("input " + input.name() + " is " + input.datatype()
                        + " but the model reads it as a number (FP64, FP32, INT64, INT32 or BOOL)");
            }
        }
        List<String> given = inputs.stream().map(Input::name).toList();
        List<String> missing = columns.keySet().stream().filter(c -> !given.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw BadRequest.of("missing input" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                    + ": the model reads one input per column: " + describeColumns());
        }
        List<Column> schema = inputs.stream().map(i -> new Column(i.name(), i.datatype().sql())).toList();
        InputBinding binding;
        try {
            binding = InputBinding.of(model, new Schema("the request", schema), featureColumns);
        } catch (RunFailure e) {
            throw BadRequest.of(e.getMessage());
        }
        Map<String, Input> byName = new LinkedHashMap<>();
        inputs.forEach(i -> byName.put(i.name(), i));
        List<Input> cells = binding.columns().stream().map(byName::get).toList();
        int rows = (int) inputs.get(0).rows();
        List<Object[]> table = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            Object[] row = new Object[cells.size()];
            for (int c = 0; c < row.length; c++) {
                row[c] = cell(cells.get(c), r);
            }
            table.add(row);
        }
        return binding.tensors(model.environment(), table);
    }

    private static Object cell(Input input, int row) {
        JsonNode value = input.data().get(row);
        if (value.isNull()) {
            return null;
        }
        return switch (input.datatype()) {
            case FP32, FP64 -> value.doubleValue();
            case INT64, INT32 -> value.longValue();
            case BOOL -> value.booleanValue();
            case BYTES -> value.asText();
        };
    }

    private String describeColumns() {
        return columns.entrySet().stream().map(e -> e.getKey() + " (" + (e.getValue() ? "FP64" : "BYTES") + ")")
                .collect(Collectors.joining(", "));
    }

    /** A tensor output, flattened row-major. */
    private static ObjectNode output(String name, OnnxValue value) throws OrtException {
        OnnxTensor tensor = (OnnxTensor) value;
        TensorInfo info = tensor.getInfo();
        ObjectNode node = tensor(name, Datatype.name(info.type), info.getShape());
        ArrayNode data = node.putArray("data");
        switch (info.type) {
            case FLOAT -> {
                FloatBuffer buffer = tensor.getFloatBuffer();
                while (buffer.hasRemaining()) {
                    data.add(buffer.get());
                }
            }
            case DOUBLE -> {
                DoubleBuffer buffer = tensor.getDoubleBuffer();
                while (buffer.hasRemaining()) {
                    data.add(buffer.get());
                }
            }
            case INT64 -> {
                LongBuffer buffer = tensor.getLongBuffer();
                while (buffer.hasRemaining()) {
                    data.add(buffer.get());
                }
            }
            case INT32 -> {
                IntBuffer buffer = tensor.getIntBuffer();
                while (buffer.hasRemaining()) {
                    data.add(buffer.get());
                }
            }
            default -> flattenValue(tensor.getValue(), data);
        }
        return node;
    }

    private static void flattenValue(Object value, ArrayNode into) {
        if (value != null && value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                flattenValue(Array.get(value, i), into);
            }
        } else if (value instanceof Boolean b) {
            into.add(b);
        } else if (value instanceof Number number) {
            into.add(number.doubleValue());
        } else {
            into.add(String.valueOf(value));
        }
    }
}
