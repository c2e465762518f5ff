package dev.modelops.sandbox.admission;

/**
 * One {@code x-kubernetes-validations} rule of a CRD and whether it compiled.
 *
 * @param kind the kind whose schema declares it
 * @param schemaPath where in the schema, such as {@code .spec.source}
 * @param compileError why it did not compile; null when it did
 */
public record RuleReport(String kind, String schemaPath, String rule, String message, String compileError) {

    public boolean compiled() {
        return compileError == null;
    }

    @Override
    public String toString() {
        return kind + " " + schemaPath + ": " + rule;
    }
}
