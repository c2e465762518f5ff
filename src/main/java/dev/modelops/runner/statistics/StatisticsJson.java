package dev.modelops.runner.statistics;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Map;

/**
 * The statistics as JSON: the full report, and the summary that the result carries (and the version keeps, and
 * Evaluate reads back as {@code MODELOPS_STATISTICS}) at decreasing detail, so that it fits the termination message.
 *
 * <pre>
 * {"rows": 5000, "uri": "s3://.../statistics.json",
 *  "columns": {"amount": {"type": "DOUBLE", "count": 5000, "missing": 0, "mean": 70.1, "std": 80.2, "min": 1.2,
 *                         "max": 2120.5, "quantiles": {"p05": 10.2, ...}, "histogram": [4012, 700, ...]},
 *              ... "deciles": {"edges": [12.1, ...], "counts": [500, ...]}},
 *              "merchant_category": {"type": "VARCHAR", "count": 5000, "missing": 0, "distinct": 6,
 *                                    "top": {"grocery": 1500, ...}}}}
 * </pre>
 *
 * A histogram's bins are equal-width over [min, max]; the decile bins are cut at the distinct deciles (below the
 * first, between each two, from the last up), each about a tenth of the rows: the bins drift is measured in.
 */
final class StatisticsJson {

    /** How much of each column a form keeps. */
    enum Detail { REPORT, SUMMARY, COMPACT, MOMENTS }

    private static final MathContext DIGITS = new MathContext(6);

    private StatisticsJson() {
    }

    static ObjectNode render(long rows, List<ColumnProfile> profiles, Detail detail, Map<String, Object> extra) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("rows", rows);
        extra.forEach((key, value) -> {
            if (value instanceof Boolean b) {
                root.put(key, b);
            } else {
                root.put(key, value.toString());
            }
        });
        ObjectNode columns = root.putObject("columns");
        for (ColumnProfile p : profiles) {
            ObjectNode c = columns.putObject(p.name());
            c.put("type", p.type());
            c.put("count", p.count());
            c.put("missing", p.missing());
            number(c, "mean", p.mean());
            number(c, "std", p.std());
            number(c, "min", p.min());
            number(c, "max", p.max());
            if (p.distinct() != null) {
                c.put("distinct", p.distinct());
            }
            if (detail == Detail.MOMENTS) {
                continue;
            }
            if (p.decileEdges() != null) {
                ObjectNode deciles = c.putObject("deciles");
                var edges = deciles.putArray("edges");
                for (double edge : p.decileEdges()) {
                    edges.add(new BigDecimal(edge).round(DIGITS).stripTrailingZeros());
                }
                var counts = deciles.putArray("counts");
                for (long n : p.decileCounts()) {
                    counts.add(n);
                }
            }
            if (p.quantiles() != null && detail != Detail.COMPACT) {
                ObjectNode q = c.putObject("quantiles");
                p.quantiles().forEach((name, value) -> {
                    if (detail == Detail.REPORT || ColumnProfile.SUMMARY_QUANTILES.contains(name)) {
                        number(q, name, value);
                    }
                });
            }
            if (p.histogram() != null && detail != Detail.COMPACT) {
                long[] h = detail == Detail.REPORT ? p.histogram() : p.histogram(ColumnProfile.SUMMARY_BINS);
                var array = c.putArray("histogram");
                for (long n : h) {
                    array.add(n);
                }
            }
            if (p.top() != null) {
                ObjectNode top = c.putObject("top");
                p.top().entrySet().stream().limit(detail == Detail.REPORT ? Long.MAX_VALUE : ColumnProfile.SUMMARY_TOP)
                        .forEach(e -> top.put(e.getKey(), e.getValue()));
            }
        }
        return root;
    }

    /** A number as the JSON keeps it: six significant digits. */
    static double round(double value) {
        return new BigDecimal(value).round(DIGITS).doubleValue();
    }

    private static void number(ObjectNode node, String name, Double value) {
        if (value != null && Double.isFinite(value)) {
            node.put(name, new BigDecimal(value).round(DIGITS).stripTrailingZeros());
        }
    }
}
