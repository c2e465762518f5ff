package dev.modelops.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelErrorCode;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.modelops.lifecycle.GateInputs.Champion;
import dev.modelops.lifecycle.GateProblem.Kind;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The automatic approval of a version: each gate of {@code spec.approval.gates} is a CEL expression over
 * <ul>
 * <li>{@code metrics}, a {@code map(string, double)} of the version's evaluation metrics;</li>
 * <li>{@code statistics}, the version's statistics as dynamic JSON (numbers are doubles; an empty map when there
 * are none);</li>
 * <li>{@code version}, a {@code map(string, string)}: name, model, version, artifactUri, artifactDigest;</li>
 * <li>{@code champion}, the deployed version of the model as {@code {name, version, metrics}}, or an empty map when
 * there is none, so that {@code !has(champion.metrics) || metrics.auc >= champion.metrics.auc} passes without
 * one.</li>
 * </ul>
 * Numbers compare across int and double ({@code metrics.auc >= 1}). Each gate is compiled once and kept by its text
 * (at most {@link #DEFAULT_CACHE_SIZE} programs, least recently used dropped). Safe for concurrent use.
 */
public final class Gates {

    static final int DEFAULT_CACHE_SIZE = 1024;
    /** Bounds what a gate's comprehensions ({@code all}, {@code exists}, {@code map} ...) may iterate in total. */
    static final int MAX_ITERATIONS = 100_000;

    static final String METRICS = "metrics";
    static final String STATISTICS = "statistics";
    static final String VERSION = "version";
    static final String CHAMPION = "champion";
    private static final Set<String> ROOTS = Set.of(METRICS, STATISTICS, VERSION, CHAMPION);

    private static final CelOptions OPTIONS = CelOptions.current()
            .enableHeterogeneousNumericComparisons(true)
            .comprehensionMaxIterations(MAX_ITERATIONS)
            .build();
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar(METRICS, MapType.create(SimpleType.STRING, SimpleType.DOUBLE))
            .addVar(STATISTICS, SimpleType.DYN)
            .addVar(VERSION, MapType.create(SimpleType.STRING, SimpleType.STRING))
            .addVar(CHAMPION, MapType.create(SimpleType.STRING, SimpleType.DYN))
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .setOptions(OPTIONS)
            .build();

    private static final Pattern ERROR_OFFSET = Pattern.compile("evaluation error at <input>:(\\d+):");
    private static final Pattern KEY_NOT_PRESENT = Pattern.compile("key '(.*)' is not present in map\\.?");

    private final Map<String, Compiled> cache;

    public Gates() {
        this(DEFAULT_CACHE_SIZE);
    }

    Gates(int cacheSize) {
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Compiled> eldest) {
                return size() > cacheSize;
            }
        };
    }

    /**
     * Evaluates every gate. The report has a problem, and so no decision, when a gate is invalid or reads a metric
     * that was not reported; the first such gate in the list names it.
     */
    public GateReport evaluate(List<String> gates, GateInputs inputs) {
        Bindings bindings = new Bindings(Objects.requireNonNull(inputs, "inputs"));
        List<GateResult> results = new ArrayList<>();
        GateProblem problem = null;
        for (String gate : gates == null ? List.<String>of() : gates) {
            Outcome outcome = compiled(gate == null ? "" : gate).evaluate(bindings);
            if (outcome.result() != null) {
                results.add(outcome.result());
            } else if (problem == null) {
                problem = outcome.problem();
            }
        }
        return new GateReport(results, Optional.ofNullable(problem));
    }

    int cachedPrograms() {
        synchronized (cache) {
            return cache.size();
        }
    }

    private Compiled compiled(String gate) {
        synchronized (cache) {
            Compiled compiled = cache.get(gate);
            if (compiled != null) {
                return compiled;
            }
        }
        Compiled compiled = compile(gate);
        synchronized (cache) {
            cache.put(gate, compiled);
        }
        return compiled;
    }

    private static Compiled compile(String gate) {
        CelAbstractSyntaxTree ast;
        try {
            ast = COMPILER.compile(gate).getAst();
        } catch (CelValidationException e) {
            return Compiled.invalid(gate, e.getMessage());
        }
        if (!ast.getResultType().equals(SimpleType.BOOL) && !ast.getResultType().equals(SimpleType.DYN)) {
            return Compiled.invalid(gate, "a gate must evaluate to a bool, this one to a "
                    + ast.getResultType().name());
        }
        try {
            References references = new References(ast.getSource().getPositionsMap());
            references.walk(ast.getExpr(), Set.of());
            return new Compiled(gate, RUNTIME.createProgram(ast), null, List.copyOf(references.paths),
                    Set.copyOf(references.computedMetricKeys));
        } catch (CelEvaluationException e) {
            return Compiled.invalid(gate, "cannot plan the program: " + e.getMessage());
        }
    }

    /** The outcome of one gate: a result or a problem. */
    private record Outcome(GateResult result, GateProblem problem) {
    }

    /** A compiled gate, or why it does not compile, with the paths it reads. */
    private record Compiled(String gate, CelRuntime.Program program, String invalid, List<Path> paths,
            Set<Integer> computedMetricKeys) {

        static Compiled invalid(String gate, String message) {
            return new Compiled(gate, null, message, List.of(), Set.of());
        }

        Outcome evaluate(Bindings bindings) {
            if (program == null) {
                return problem(Kind.InvalidGate, invalid);
            }
            Object value;
            try {
                value = program.eval(bindings.variables);
            } catch (CelEvaluationException e) {
                return failed(bindings, e);
            } catch (RuntimeException e) {
                return problem(Kind.InvalidGate, "evaluation error: " + e);
            }
            if (!(value instanceof Boolean verdict)) {
                return problem(Kind.InvalidGate, "a gate must evaluate to a bool, this one evaluated to "
                        + GateReport.value(value));
            }
            Map<String, Object> values = new LinkedHashMap<>();
            for (Path path : paths) {
                if (path.valued()) {
                    bindings.resolve(path).ifPresent(found -> values.putIfAbsent(path.display(), found));
                }
            }
            return new Outcome(new GateResult(gate, verdict, values), null);
        }

        /**
         * Why the gate failed. A key that is not there is a missing metric when it is where the gate reads a
         * metric: CEL's error gives the offset of the selection or index that failed, which the gate's paths know.
         */
        private Outcome failed(Bindings bindings, CelEvaluationException e) {
            String message = e.getMessage();
            if (e.getErrorCode() != CelErrorCode.ATTRIBUTE_NOT_FOUND) {
                return problem(Kind.InvalidGate, message);
            }
            Optional<Integer> at = offset(message);
            Set<String> missing = new LinkedHashSet<>();
            Set<String> missingChampion = new LinkedHashSet<>();
            if (at.isPresent()) {
                paths.stream().filter(path -> path.position() == at.get() && !path.testOnly()).findFirst()
                        .ifPresent(path -> {
                            path.metric(METRICS).ifPresent(missing::add);
                            path.metric(CHAMPION).ifPresent(missingChampion::add);
                        });
                if (computedMetricKeys.contains(at.get())) {
                    missing.add(missingKey(e));
                }
            } else {
                missing.addAll(missing(paths, bindings.metrics.keySet(), METRICS));
                bindings.champion.ifPresent(champion ->
                        missingChampion.addAll(missing(paths, champion.metrics().keySet(), CHAMPION)));
            }
            missing.removeAll(bindings.metrics.keySet());
            if (!missing.isEmpty()) {
                return problem(Kind.MissingMetric, String.format("gate '%s' needs %s %s, which the evaluation "
                        + "did not report (it reported: %s)", GateReport.oneLine(gate),
                        missing.size() == 1 ? "metric" : "metrics", String.join(", ", missing),
                        reported(bindings.metrics.keySet())));
            }
            if (bindings.champion.isPresent()) {
                Champion champion = bindings.champion.get();
                missingChampion.removeAll(champion.metrics().keySet());
                if (!missingChampion.isEmpty()) {
                    return problem(Kind.MissingMetric, String.format("gate '%s' needs the champion's %s %s, which "
                            + "the champion %s did not report (it reported: %s)", GateReport.oneLine(gate),
                            missingChampion.size() == 1 ? "metric" : "metrics", String.join(", ", missingChampion),
                            champion.name(), reported(champion.metrics().keySet())));
                }
            } else if (paths.stream().anyMatch(path -> path.root().equals(CHAMPION) && !path.testOnly()
                    && !path.segments().isEmpty() && (at.isEmpty() || path.positions().get(0).equals(at.get())))) {
                return problem(Kind.InvalidGate, "the model has no champion, and the gate reads it without asking "
                        + "has(champion.metrics) first, as in '!has(champion.metrics) || ...': " + message);
            }
            return problem(Kind.InvalidGate, message);
        }

        private Outcome problem(Kind kind, String message) {
            return new Outcome(null, new GateProblem(kind, gate, message));
        }
    }

    /** The metric keys the paths read (not only test with has()) that the reported ones lack, in order. */
    private static Set<String> missing(List<Path> paths, Set<String> reported, String root) {
        Set<String> missing = new LinkedHashSet<>();
        for (Path path : paths) {
            path.metric(root).filter(key -> !path.testOnly() && !reported.contains(key)).ifPresent(missing::add);
        }
        return missing;
    }

    private static String reported(Set<String> keys) {
        return keys.isEmpty() ? "none" : String.join(", ", new TreeSet<>(keys));
    }

    /** Where in the gate CEL's evaluation error happened: "evaluation error at &lt;input&gt;:7: ...". */
    private static Optional<Integer> offset(String message) {
        Matcher matcher = message == null ? null : ERROR_OFFSET.matcher(message);
        return matcher != null && matcher.find() ? Optional.of(Integer.parseInt(matcher.group(1))) : Optional.empty();
    }

    /** The key that was not there: the cause's message is "key 'auc' is not present in map." or the key itself. */
    private static String missingKey(CelEvaluationException e) {
        String key = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
                : e.getMessage().replaceFirst(".*?<input>:\\d+: ", "");
        Matcher matcher = KEY_NOT_PRESENT.matcher(key);
        return matcher.matches() ? matcher.group(1) : key;
    }

    /**
     * A chain of constant selections and indexes on one of the variables: {@code metrics.auc},
     * {@code metrics['auc']}, {@code champion.metrics.auc}, {@code statistics.columns[0].mean}. Segments are strings
     * (keys) or longs (list indexes); positions are the offsets in the gate where each is selected, as CEL's
     * evaluation errors name them. {@code testOnly}: the chain is only asked about, {@code has(metrics.auc)}.
     */
    record Path(String root, List<Object> segments, List<Integer> positions, boolean testOnly) {

        private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

        Path with(Object segment, boolean test, int at) {
            List<Object> longer = new ArrayList<>(segments);
            longer.add(segment);
            List<Integer> offsets = new ArrayList<>(positions);
            offsets.add(at);
            return new Path(root, List.copyOf(longer), List.copyOf(offsets), test);
        }

        /** Where the whole path is selected, -1 for a bare variable. */
        int position() {
            return positions.isEmpty() ? -1 : positions.get(positions.size() - 1);
        }

        /** The metric key a path reads, on {@code metrics} or on {@code champion.metrics}. */
        Optional<String> metric(String of) {
            if (of.equals(METRICS) && root.equals(METRICS) && !segments.isEmpty()
                    && segments.get(0) instanceof String key) {
                return Optional.of(key);
            }
            if (of.equals(CHAMPION) && root.equals(CHAMPION) && segments.size() >= 2
                    && METRICS.equals(segments.get(0)) && segments.get(1) instanceof String key) {
                return Optional.of(key);
            }
            return Optional.empty();
        }

        /** Whether the report shows the value of the path: metrics, champion's metrics and statistics. */
        boolean valued() {
            return metric(METRICS).isPresent() || metric(CHAMPION).isPresent()
                    || (root.equals(STATISTICS) && !segments.isEmpty());
        }

        String display() {
            StringBuilder text = new StringBuilder(root);
            for (Object segment : segments) {
                if (segment instanceof String key && IDENTIFIER.matcher(key).matches()) {
                    text.append('.').append(key);
                } else if (segment instanceof String key) {
                    text.append("['").append(key.replace("\\", "\\\\").replace("'", "\\'")).append("']");
                } else {
                    text.append('[').append(segment).append(']');
                }
            }
            return text.toString();
        }
    }

    /** Walks a checked gate for the paths it reads, minding comprehension variables that shadow a variable. */
    private static final class References {

        final List<Path> paths = new ArrayList<>();
        /** The offsets where the gate indexes the metrics with a key it computes, {@code metrics[name]}. */
        final Set<Integer> computedMetricKeys = new HashSet<>();
        private final Map<Long, Integer> positions;

        References(Map<Long, Integer> positions) {
            this.positions = positions;
        }

        private int position(CelExpr expr) {
            return positions.getOrDefault(expr.id(), -1);
        }

        void walk(CelExpr expr, Set<String> shadowed) {
            Optional<Path> path = path(expr, shadowed);
            if (path.isPresent()) {
                paths.add(path.get());
                return;
            }
            switch (expr.getKind()) {
                case SELECT -> walk(expr.select().operand(), shadowed);
                case CALL -> {
                    CelExpr.CelCall call = expr.call();
                    if (isIndex(call) && path(call.args().get(0), shadowed)
                            .filter(operand -> operand.root().equals(METRICS) && operand.segments().isEmpty())
                            .isPresent()) {
                        computedMetricKeys.add(position(expr));
                    }
                    call.target().ifPresent(target -> walk(target, shadowed));
                    call.args().forEach(arg -> walk(arg, shadowed));
                }
                case LIST -> expr.list().elements().forEach(element -> walk(element, shadowed));
                case MAP -> expr.map().entries().forEach(entry -> {
                    walk(entry.key(), shadowed);
                    walk(entry.value(), shadowed);
                });
                case STRUCT -> expr.struct().entries().forEach(entry -> walk(entry.value(), shadowed));
                case COMPREHENSION -> {
                    CelExpr.CelComprehension loop = expr.comprehension();
                    walk(loop.iterRange(), shadowed);
                    walk(loop.accuInit(), shadowed);
                    Set<String> inner = new HashSet<>(shadowed);
                    inner.add(loop.iterVar());
                    inner.add(loop.iterVar2());
                    inner.add(loop.accuVar());
                    walk(loop.loopCondition(), inner);
                    walk(loop.loopStep(), inner);
                    walk(loop.result(), inner);
                }
                default -> {
                }
            }
        }

        private Optional<Path> path(CelExpr expr, Set<String> shadowed) {
            switch (expr.getKind()) {
                case IDENT -> {
                    String name = expr.ident().name();
                    return ROOTS.contains(name) && !shadowed.contains(name)
                            ? Optional.of(new Path(name, List.of(), List.of(), false)) : Optional.empty();
                }
                case SELECT -> {
                    CelExpr.CelSelect select = expr.select();
                    return path(select.operand(), shadowed).filter(operand -> !operand.testOnly())
                            .map(operand -> operand.with(select.field(), select.testOnly(), position(expr)));
                }
                case CALL -> {
                    CelExpr.CelCall call = expr.call();
                    if (!isIndex(call) || call.args().get(1).getKind() != CelExpr.ExprKind.Kind.CONSTANT) {
                        return Optional.empty();
                    }
                    CelConstant key = call.args().get(1).constant();
                    Object segment = switch (key.getKind()) {
                        case STRING_VALUE -> key.stringValue();
                        case INT64_VALUE -> key.int64Value();
                        default -> null;
                    };
                    return segment == null ? Optional.empty() : path(call.args().get(0), shadowed)
                            .filter(operand -> !operand.testOnly())
                            .map(operand -> operand.with(segment, false, position(expr)));
                }
                default -> {
                    return Optional.empty();
                }
            }
        }

        private static boolean isIndex(CelExpr.CelCall call) {
            return call.function().equals("_[_]") && call.target().isEmpty() && call.args().size() == 2;
        }
    }

    /** The variables of one evaluation, converted once for all the gates. */
    private static final class Bindings {

        final Map<String, Double> metrics;
        final Optional<Champion> champion;
        final Object statistics;
        final Map<String, Object> variables;

        Bindings(GateInputs inputs) {
            metrics = inputs.metrics();
            champion = inputs.champion();
            statistics = inputs.statistics() == null || inputs.statistics().isNull()
                    || inputs.statistics().isMissingNode() ? Map.of() : json(inputs.statistics());
            Map<String, String> version = new LinkedHashMap<>();
            inputs.version().forEach((key, value) -> {
                if (key != null && value != null) {
                    version.put(key, String.valueOf(value));
                }
            });
            Map<String, Object> championMap = new LinkedHashMap<>();
            champion.ifPresent(it -> {
                if (it.name() != null) {
                    championMap.put("name", it.name());
                }
                if (it.version() != null) {
                    championMap.put(VERSION, it.version());
                }
                championMap.put(METRICS, it.metrics());
            });
            variables = Map.of(METRICS, metrics, STATISTICS, statistics, VERSION, version, CHAMPION, championMap);
        }

        /** The value a path reads, when it is there and is a number, string or bool. */
        Optional<Object> resolve(Path path) {
            Object value = switch (path.root()) {
                case METRICS -> metrics;
                case STATISTICS -> statistics;
                case CHAMPION -> champion.<Object>map(it -> Map.of(METRICS, it.metrics())).orElse(null);
                default -> null;
            };
            for (Object segment : path.segments()) {
                if (value instanceof Map<?, ?> map && segment instanceof String key) {
                    value = map.get(key);
                } else if (value instanceof List<?> list && segment instanceof Long index
                        && index >= 0 && index < list.size()) {
                    value = list.get(index.intValue());
                } else {
                    return Optional.empty();
                }
            }
            return value instanceof Double || value instanceof String || value instanceof Boolean
                    ? Optional.of(value) : Optional.empty();
        }

        /** JSON as CEL values: objects are maps, arrays lists, every number a double, null CEL's null. */
        static Object json(JsonNode node) {
            if (node == null || node.isNull() || node.isMissingNode()) {
                return NullValue.NULL_VALUE;
            }
            if (node.isObject()) {
                Map<String, Object> map = new LinkedHashMap<>();
                node.fields().forEachRemaining(field -> map.put(field.getKey(), json(field.getValue())));
                return map;
            }
            if (node.isArray()) {
                List<Object> list = new ArrayList<>(node.size());
                node.forEach(item -> list.add(json(item)));
                return list;
            }
            if (node.isNumber()) {
                return node.asDouble();
            }
            if (node.isBoolean()) {
                return node.asBoolean();
            }
            return node.asText();
        }
    }
}
