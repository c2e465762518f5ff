package dev.modelops.lifecycle;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The verdicts of a version's gates, in the order of the gates. With a problem there is no decision: the results
 * then hold only the gates that did evaluate to a bool.
 */
public record GateReport(List<GateResult> results, Optional<GateProblem> problem) {

    /** A gate longer than this is shortened in the reason's line. */
    static final int GATE_IN_REASON_MAX = 200;

    public GateReport {
        results = results == null ? List.of() : List.copyOf(results);
        problem = problem == null ? Optional.empty() : problem;
    }

    /** Whether the gates decided: no gate had a problem. */
    public boolean decided() {
        return problem.isEmpty();
    }

    /** The gates decided, and every gate is true. */
    public boolean passed() {
        return decided() && results.stream().allMatch(GateResult::verdict);
    }

    /**
     * The reason of the Approve or Reject decision, at most {@code maxChars} characters: a first line
     * "Approved by gates:" or "Rejected by gates:", then one line per gate, "PASS gate (values)" or "FAIL gate
     * (values)", the failed gates first. Whole lines are left out to stay within the bound, and a last line says how
     * many: "... and 3 more gates". Without a decision, the problem, after "No decision by gates: ".
     */
    public String reason(int maxChars) {
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be positive, got " + maxChars);
        }
        if (problem.isPresent()) {
            GateProblem found = problem.get();
            String message = found.kind() == GateProblem.Kind.InvalidGate
                    ? "gate '" + abbreviate(oneLine(found.gate()), GATE_IN_REASON_MAX) + "' is invalid: "
                            + found.message()
                    : found.message();
            return cut("No decision by gates: " + message, maxChars);
        }
        String header = passed() ? "Approved by gates:" : "Rejected by gates:";
        if (results.isEmpty()) {
            return cut(header + " none are configured", maxChars);
        }
        List<String> lines = new ArrayList<>(results.size());
        results.stream().filter(result -> !result.verdict()).map(GateReport::line).forEach(lines::add);
        results.stream().filter(GateResult::verdict).map(GateReport::line).forEach(lines::add);

        StringBuilder text = new StringBuilder(header);
        for (int shown = 0; shown < lines.size(); shown++) {
            String line = lines.get(shown);
            int left = lines.size() - shown - 1;
            String trailer = left == 0 ? "" : "\n" + more(left);
            if (text.length() + 1 + line.length() + trailer.length() > maxChars) {
                return cut(text + "\n" + more(lines.size() - shown), maxChars);
            }
            text.append('\n').append(line);
        }
        return text.toString();
    }

    private static String more(int gates) {
        return "... and " + gates + (gates == 1 ? " more gate" : " more gates");
    }

    private static String line(GateResult result) {
        String line = (result.verdict() ? "PASS " : "FAIL ") + abbreviate(oneLine(result.gate()), GATE_IN_REASON_MAX);
        if (result.values().isEmpty()) {
            return line;
        }
        return line + result.values().entrySet().stream()
                .map(entry -> entry.getKey() + " = " + value(entry.getValue()))
                .collect(Collectors.joining(", ", " (", ")"));
    }

    /** A value as the reason shows it: doubles plainly (0.91, 1200), strings quoted. */
    static String value(Object value) {
        if (value instanceof Double number) {
            return number(number);
        }
        if (value instanceof Number number) {
            return number(number.doubleValue());
        }
        if (value instanceof String string) {
            return '"' + string.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
        return String.valueOf(value);
    }

    static String number(double number) {
        if (Double.isNaN(number) || Double.isInfinite(number)) {
            return Double.toString(number);
        }
        if (number == 0) {
            return "0";
        }
        BigDecimal decimal = BigDecimal.valueOf(number).stripTrailingZeros();
        double magnitude = Math.abs(number);
        return magnitude >= 1e-6 && magnitude < 1e15 ? decimal.toPlainString() : decimal.toString();
    }

    /** A gate on one line: YAML block scalars may spread one over several. */
    static String oneLine(String gate) {
        return gate == null ? "" : gate.strip().replaceAll("\\s+", " ");
    }

    static String abbreviate(String text, int maxChars) {
        return text.length() <= maxChars ? text : cut(text, maxChars);
    }

    private static String cut(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        if (maxChars <= 3) {
            return text.substring(0, maxChars);
        }
        int end = maxChars - 3;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "...";
    }
}
