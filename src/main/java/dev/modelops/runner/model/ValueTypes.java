package dev.modelops.runner.model;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How ONNX value types read in messages and signatures. */
final class ValueTypes {

    private ValueTypes() {
    }

    static String describe(ValueInfo info) {
        if (info instanceof TensorInfo tensor) {
            return tensor.type + Arrays.stream(tensor.getShape()).mapToObj(Long::toString)
                    .collect(Collectors.joining(",", "[", "]"));
        }
        if (info instanceof SequenceInfo sequence) {
            return sequence.isSequenceOfMaps() ? "SEQUENCE<MAP<" + sequence.mapInfo.keyType + ","
                    + sequence.mapInfo.valueType + ">>" : "SEQUENCE<" + sequence.sequenceType + ">";
        }
        if (info instanceof MapInfo map) {
            return "MAP<" + map.keyType + "," + map.valueType + ">";
        }
        return String.valueOf(info);
    }
}
