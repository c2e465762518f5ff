package dev.modelops.sandbox.admission;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OptionalType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;

/**
 * Compiles {@code x-kubernetes-validations} rules in an environment close to the API server's: {@code self} and
 * {@code oldSelf} typed from the schema, the standard macros ({@code has}, {@code all}, {@code exists} ...), regular
 * expressions that match anywhere in the string as RE2 does, the strings, sets and optional extensions. Kubernetes'
 * own libraries (quantity, IP, URL, lists) are not available.
 */
final class CelRuleCompiler {

    static final String SELF = "self";
    static final String OLD_SELF = "oldSelf";

    private static final CelOptions OPTIONS = CelOptions.current()
            .enableRegexPartialMatch(true)
            .enableHeterogeneousNumericComparisons(true)
            .enableOptionalSyntax(true)
            .build();

    private final CelRuntime runtime = CelRuntimeFactory.standardCelRuntimeBuilder()
            .setOptions(OPTIONS)
            .addLibraries(CelExtensions.strings(), CelExtensions.sets(OPTIONS), CelExtensions.optional())
            .build();
    private final SchemaCelTypes types;

    CelRuleCompiler(SchemaCelTypes types) {
        this.types = types;
    }

    CompiledRule compile(ValidationRule rule, CelType selfType) {
        boolean optionalOldSelf = Boolean.TRUE.equals(rule.getOptionalOldSelf());
        CelCompiler compiler = compiler(selfType, optionalOldSelf ? OptionalType.create(selfType) : selfType);
        try {
            CelAbstractSyntaxTree ast = compile(compiler, rule.getRule(), SimpleType.BOOL);
            boolean transition = ast.getReferenceMap().values().stream()
                    .anyMatch(reference -> OLD_SELF.equals(reference.name()));
            CelRuntime.Program messageProgram = null;
            if (rule.getMessageExpression() != null && !rule.getMessageExpression().isBlank()) {
                messageProgram = runtime.createProgram(compile(compiler, rule.getMessageExpression(),
                        SimpleType.STRING));
            }
            return new CompiledRule(rule, runtime.createProgram(ast), messageProgram, null, transition);
        } catch (NotCompiled e) {
            return new CompiledRule(rule, null, null, e.getMessage(), false);
        } catch (CelEvaluationException e) {
            return new CompiledRule(rule, null, null, "cannot plan the program: " + e.getMessage(), false);
        }
    }

    private static CelAbstractSyntaxTree compile(CelCompiler compiler, String expression, CelType resultType) {
        CelAbstractSyntaxTree ast;
        try {
            ast = compiler.compile(expression).getAst();
        } catch (CelValidationException e) {
            throw new NotCompiled(e.getMessage());
        }
        if (!ast.getResultType().equals(resultType) && !ast.getResultType().equals(SimpleType.DYN)) {
            throw new NotCompiled("cel expression must evaluate to a " + resultType.name() + ", got "
                    + ast.getResultType().name());
        }
        return ast;
    }

    private static final class NotCompiled extends RuntimeException {
        NotCompiled(String message) {
            super(message, null, false, false);
        }
    }

    private CelCompiler compiler(CelType selfType, CelType oldSelfType) {
        return CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(OPTIONS)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addLibraries(CelExtensions.strings(), CelExtensions.sets(OPTIONS), CelExtensions.optional())
                .setTypeProvider(types)
                .addVar(SELF, selfType)
                .addVar(OLD_SELF, oldSelfType)
                .build();
    }

    CelRuntime runtime() {
        return runtime;
    }
}
