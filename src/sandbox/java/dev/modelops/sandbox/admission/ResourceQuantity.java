package dev.modelops.sandbox.admission;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;

/**
 * A resource quantity ({@code 500m}, {@code 1Gi}, {@code 1e3}) read as the API server decodes it
 * ({@code k8s.io/apimachinery/pkg/api/resource.ParseQuantity}): the same refusals with the same words, the value rounded
 * up to nano units, and printed in the canonical form that API server messages show ({@code 2048Mi} is {@code 2Gi}).
 */
final class ResourceQuantity implements Comparable<ResourceQuantity> {

    static final String FORMAT_WRONG = "quantities must match the regular expression "
            + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
    static final String SUFFIX_WRONG = "unable to parse quantity's suffix";

    private static final String SUFFIX_CHARS = "eEinumkKMGTP";
    private static final Map<String, Integer> DECIMAL_SUFFIXES = Map.of("n", -9, "u", -6, "m", -3, "", 0, "k", 3,
            "M", 6, "G", 9, "T", 12, "P", 15, "E", 18);
    private static final Map<String, Integer> BINARY_SUFFIXES = Map.of("Ki", 10, "Mi", 20, "Gi", 30, "Ti", 40,
            "Pi", 50, "Ei", 60);
    private static final String[] BINARY_BY_POWER = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    private static final BigDecimal MAX_BINARY = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigInteger KI = BigInteger.valueOf(1024);

    private enum Format { DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT }

    private final BigDecimal value;
    private final Format format;
    private final String text;

    private ResourceQuantity(BigDecimal value, Format format, String text) {
        this.value = value;
        this.format = format;
        this.text = text;
    }

    /** The quantity, or an IllegalArgumentException whose message is the API server's decoding error. */
    static ResourceQuantity parse(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException(FORMAT_WRONG);
        }
        if (text.equals("0")) {
            return new ResourceQuantity(BigDecimal.ZERO, Format.DECIMAL_SI, text);
        }
        Parts parts = Parts.of(text);
        Format format;
        int base;
        int exponent;
        if (DECIMAL_SUFFIXES.containsKey(parts.suffix)) {
            format = Format.DECIMAL_SI;
            base = 10;
            exponent = DECIMAL_SUFFIXES.get(parts.suffix);
        } else if (BINARY_SUFFIXES.containsKey(parts.suffix)) {
            format = Format.BINARY_SI;
            base = 2;
            exponent = BINARY_SUFFIXES.get(parts.suffix);
        } else if (parts.suffix.length() > 1 && (parts.suffix.charAt(0) == 'e' || parts.suffix.charAt(0) == 'E')) {
            format = Format.DECIMAL_EXPONENT;
            base = 10;
            try {
                exponent = (int) Long.parseLong(parts.suffix.substring(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(SUFFIX_WRONG);
            }
        } else {
            throw new IllegalArgumentException(SUFFIX_WRONG);
        }
        BigDecimal amount = new BigDecimal(new BigInteger(parts.numerator + parts.denominator),
                parts.denominator.length());
        amount = base == 10 ? amount.scaleByPowerOfTen(exponent) : amount.multiply(new BigDecimal(BigInteger.TWO.pow(exponent)));
        if (amount.scale() > 9) {
            amount = amount.setScale(9, RoundingMode.UP);
        }
        if (format == Format.BINARY_SI && amount.compareTo(MAX_BINARY) > 0) {
            amount = MAX_BINARY;
        }
        if (format == Format.BINARY_SI && amount.signum() > 0 && amount.compareTo(BigDecimal.ONE) < 0) {
            format = Format.DECIMAL_SI;
        }
        return new ResourceQuantity(parts.positive ? amount : amount.negate(), format,
                keepsText(parts, format, exponent) ? text : null);
    }

    /**
     * Whether Go keeps the text as it came, because its fast path found it canonical already; then messages show the
     * text, sign included, and not the canonical form.
     */
    private static boolean keepsText(Parts parts, Format format, int exponent) {
        int scale;
        int precision;
        if (format == Format.BINARY_SI) {
            scale = 0;
            precision = exponent >= 0 && parts.denominator.isEmpty()
                    ? 15 - parts.numerator.length() - (int) ((float) exponent * 3 / 10) - 1 : -1;
        } else {
            scale = exponent;
            precision = 18 - parts.numerator.length() - parts.denominator.length();
        }
        scale -= parts.denominator.length();
        if (precision < 0 || scale < -9) {
            return false;
        }
        String shifted = parts.numerator + parts.denominator;
        long mantissa = Long.parseLong(shifted);
        if (format == Format.BINARY_SI) {
            if (exponent >= 63 || Long.numberOfLeadingZeros(mantissa) <= exponent) {
                return false;
            }
            return exponent % 10 == 0 && (mantissa & 0x07) != 0;
        }
        return scale % 3 == 0 && !shifted.endsWith("000") && shifted.charAt(0) != '0';
    }

    int signum() {
        return value.signum();
    }

    /** Whether the value in thousandths, rounded up as Go's {@code MilliValue} does, is a whole number. */
    boolean isInteger() {
        return value.movePointRight(3).setScale(0, RoundingMode.UP).remainder(BigDecimal.valueOf(1000)).signum() == 0;
    }

    @Override
    public int compareTo(ResourceQuantity other) {
        return value.compareTo(other.value);
    }

    /** Go's {@code Quantity.String()}: the text as written when canonical, else the canonical form. */
    @Override
    public String toString() {
        if (text != null) {
            return text;
        }
        if (value.signum() == 0) {
            return "0";
        }
        Format shown = format;
        if (shown == Format.BINARY_SI && (value.abs().compareTo(BigDecimal.valueOf(1024)) < 0
                || value.stripTrailingZeros().scale() > 0)) {
            shown = Format.DECIMAL_SI;
        }
        if (shown == Format.BINARY_SI) {
            BigInteger amount = value.toBigIntegerExact();
            int power = 0;
            while (power < BINARY_BY_POWER.length - 1 && amount.mod(KI).signum() == 0) {
                amount = amount.divide(KI);
                power++;
            }
            return amount + BINARY_BY_POWER[power];
        }
        BigDecimal stripped = value.stripTrailingZeros();
        BigInteger amount = stripped.unscaledValue();
        int exponent = -stripped.scale();
        while (exponent % 3 != 0) {
            amount = amount.multiply(BigInteger.TEN);
            exponent--;
        }
        if (shown == Format.DECIMAL_EXPONENT) {
            return amount + (exponent == 0 ? "" : "e" + exponent);
        }
        int power = exponent;
        return amount + DECIMAL_SUFFIXES.entrySet().stream().filter(entry -> entry.getValue() == power)
                .map(Map.Entry::getKey).findFirst().orElse("");
    }

    /** Go's {@code parseQuantityString}: sign, numerator without leading zeros, denominator and suffix. */
    private record Parts(boolean positive, String numerator, String denominator, String suffix) {

        static Parts of(String text) {
            int end = text.length();
            int at = 0;
            boolean positive = true;
            if (text.charAt(0) == '-' || text.charAt(0) == '+') {
                positive = text.charAt(0) == '+';
                at++;
            }
            while (at < end && text.charAt(at) == '0') {
                at++;
            }
            if (at >= end) {
                return new Parts(positive, "0", "", "");
            }
            int start = at;
            while (at < end && isDigit(text.charAt(at))) {
                at++;
            }
            String numerator = text.substring(start, at).isEmpty() ? "0" : text.substring(start, at);
            if (at >= end) {
                return new Parts(positive, numerator, "", "");
            }
            String denominator = "";
            if (text.charAt(at) == '.') {
                start = ++at;
                while (at < end && isDigit(text.charAt(at))) {
                    at++;
                }
                denominator = text.substring(start, at);
                if (at >= end) {
                    return new Parts(positive, numerator, denominator, "");
                }
            }
            int suffixStart = at;
            while (at < end && SUFFIX_CHARS.indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            if (at < end && (text.charAt(at) == '-' || text.charAt(at) == '+')) {
                at++;
            }
            while (at < end && isDigit(text.charAt(at))) {
                at++;
            }
            if (at < end) {
                throw new IllegalArgumentException(FORMAT_WRONG);
            }
            return new Parts(positive, numerator, denominator, text.substring(suffixStart));
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }
    }
}
