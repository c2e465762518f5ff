package dev.modelops.sandbox.admission;

import dev.cel.runtime.CelRuntime;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;

/**
 * One {@code x-kubernetes-validations} rule, compiled once for the schema node that declares it.
 *
 * @param program the rule's program; null when it did not compile
 * @param messageProgram the program of {@code messageExpression}; null when there is none or it did not compile
 * @param compileError why the rule (or its messageExpression) did not compile; null when it did
 * @param transition whether the rule refers to {@code oldSelf}, so that it runs only on update
 */
record CompiledRule(ValidationRule rule, CelRuntime.Program program, CelRuntime.Program messageProgram,
        String compileError, boolean transition) {

    boolean optionalOldSelf() {
        return Boolean.TRUE.equals(rule.getOptionalOldSelf());
    }

    /** The message when the rule fails, as the API server words it when there is neither message nor expression. */
    String messageOrDefault() {
        String message = rule.getMessage();
        return message == null || message.isBlank() ? "failed rule: " + ruleText() : message.strip();
    }

    /** The rule as named in evaluation errors: its message if any, else its text. */
    String ruleText() {
        String message = rule.getMessage();
        return message == null || message.isBlank() ? rule.getRule().strip() : message.strip();
    }
}
