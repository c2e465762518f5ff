package dev.modelops.api.v1alpha1;

/** Format of an imported model's files. */
public enum ModelFormat {
    ONNX, PMML, MOJO, JOBLIB, PICKLE, SAVEDMODEL, TORCHSCRIPT, XGBOOST, LIGHTGBM
}
