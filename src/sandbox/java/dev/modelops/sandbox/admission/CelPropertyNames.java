package dev.modelops.sandbox.admission;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a property name appears in a CEL rule, as Kubernetes escapes it ({@code k8s.io/apiserver/pkg/cel.Escape}):
 * {@code import} is {@code __import__}, {@code a-b} is {@code a__dash__b}, {@code a.b} is {@code a__dot__b},
 * {@code a/b} is {@code a__slash__b} and {@code a__b} is {@code a__underscores__b}. Names that cannot be escaped (a
 * leading digit, other characters) are not visible to rules.
 */
final class CelPropertyNames {

    private static final Set<String> RESERVED = Set.of("true", "false", "null", "in", "as", "break", "const",
            "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return",
            "var", "void", "while");
    private static final Pattern SIMPLE = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern ESCAPABLE = Pattern.compile("[a-zA-Z_.\\-/][a-zA-Z0-9_.\\-/]*");
    private static final Pattern EXPAND = Pattern.compile("__|[-./]");

    private CelPropertyNames() {
    }

    static Optional<String> escape(String name) {
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
            return Optional.empty();
        }
        if (RESERVED.contains(name)) {
            return Optional.of("__" + name + "__");
        }
        if (SIMPLE.matcher(name).matches() && !name.contains("__")) {
            return Optional.of(name);
        }
        if (!ESCAPABLE.matcher(name).matches()) {
            return Optional.empty();
        }
        Matcher matcher = EXPAND.matcher(name);
        StringBuilder escaped = new StringBuilder();
        while (matcher.find()) {
            String replacement = switch (matcher.group()) {
                case "__" -> "__underscores__";
                case "." -> "__dot__";
                case "-" -> "__dash__";
                default -> "__slash__";
            };
            matcher.appendReplacement(escaped, replacement);
        }
        matcher.appendTail(escaped);
        return Optional.of(escaped.toString());
    }
}
