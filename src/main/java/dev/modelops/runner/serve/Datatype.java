package dev.modelops.runner.serve;

import ai.onnxruntime.OnnxJavaType;

import java.util.Arrays;
import java.util.Optional;

/**
 * The tensor datatypes of the Open Inference Protocol that the server reads and writes, with the ONNX type and the
 * SQL type (as a dataset column) of each. Others (FP16, the small integers) appear in metadata by their protocol name.
 */
enum Datatype {
    FP32(OnnxJavaType.FLOAT, "FLOAT"),
    FP64(OnnxJavaType.DOUBLE, "DOUBLE"),
    INT64(OnnxJavaType.INT64, "BIGINT"),
    INT32(OnnxJavaType.INT32, "INTEGER"),
    BOOL(OnnxJavaType.BOOL, "BOOLEAN"),
    BYTES(OnnxJavaType.STRING, "VARCHAR");

    private final OnnxJavaType onnx;
    private final String sql;

    Datatype(OnnxJavaType onnx, String sql) {
        this.onnx = onnx;
        this.sql = sql;
    }

    OnnxJavaType onnx() {
        return onnx;
    }

    String sql() {
        return sql;
    }

    boolean numeric() {
        return this != BYTES;
    }

    static Optional<Datatype> parse(String name) {
        return Arrays.stream(values()).filter(d -> d.name().equals(name)).findFirst();
    }

    static Optional<Datatype> of(OnnxJavaType type) {
        return Arrays.stream(values()).filter(d -> d.onnx == type).findFirst();
    }

    /** The protocol's name of an ONNX type, also for the types the server does not read. */
    static String name(OnnxJavaType type) {
        return of(type).map(Enum::name).orElseGet(() -> switch (type) {
            case FLOAT16 -> "FP16";
            case BFLOAT16 -> "BF16";
            case INT8 -> "INT8";
            case INT16 -> "INT16";
            case UINT8 -> "UINT8";
            default -> type.name();
        });
    }
}
