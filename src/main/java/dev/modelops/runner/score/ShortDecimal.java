package dev.modelops.runner.score;

/**
 * Doubles and floats that are short decimals (such as {@code 48.82}, or a probability of 8 or 9 digits) as plain
 * text, in a tenth of the time of {@code Double.toString}, which was the largest cost of writing the predictions; the
 * text always parses back to the same value, and is what {@code toString} writes for such numbers, digit for digit
 * when that is the shortest. Other numbers are left to {@code toString}.
 */
final class ShortDecimal {

    private static final double[] POWERS_OF_TEN = new double[13];
    private static final int MAX_DOUBLE_FRACTION = 9;
    private static final int MAX_FLOAT_FRACTION = 12;

    static {
        double power = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = power; // exact: powers of ten up to 1e22 are doubles
            power *= 10;
        }
    }

    private ShortDecimal() {
    }

    /** Writes {@code value} at {@code at} (room for 32 bytes) and returns the end, or -1 when it is not short. */
    static int write(double value, byte[] to, int at) {
        double magnitude = Math.abs(value);
        if (!(magnitude >= 1e-3 && magnitude < 1e6)) {
            return -1; // toString's scientific notation, zero and NaN stay with it
        }
        for (int k = 1; k <= MAX_DOUBLE_FRACTION; k++) {
            long scaled = Math.round(magnitude * POWERS_OF_TEN[k]);
            if (scaled / POWERS_OF_TEN[k] == magnitude) { // a correctly rounded division: what parsing the text gives
                return digits(value < 0, scaled, k, to, at);
            }
        }
        return -1;
    }

    /** As {@link #write(double, byte[], int)}, for a float (the shortest text that parses back to the float). */
    static int write(float value, byte[] to, int at) {
        float magnitude = Math.abs(value);
        if (!(magnitude >= 1e-3f && magnitude < 1e6f)) {
            return -1;
        }
        for (int k = 1; k <= MAX_FLOAT_FRACTION; k++) {
            long scaled = Math.round(magnitude * POWERS_OF_TEN[k]);
            double decimal = scaled / POWERS_OF_TEN[k];
            float rounded = (float) decimal;
            if (rounded == magnitude && !nearHalfway(decimal, rounded)) {
                return digits(value < 0, scaled, k, to, at);
            }
        }
        return -1;
    }

    /**
     * Whether the double of a decimal lies halfway between two floats, where rounding it again to a float may differ
     * from rounding the decimal itself. Below a power of two the floats are twice as close: the halfway point there is
     * a quarter of the float's ulp away.
     */
    private static boolean nearHalfway(double decimal, float rounded) {
        double gap = Math.abs(decimal - rounded);
        double ulp = Math.ulp(rounded);
        return gap * 2 == ulp || gap * 4 == ulp;
    }

    /** {@code scaled / 10^fraction} with at least one digit after the point and no trailing zeros beyond it. */
    private static int digits(boolean negative, long scaled, int fraction, byte[] to, int at) {
        while (fraction > 1 && scaled % 10 == 0) {
            scaled /= 10;
            fraction--;
        }
        if (negative) {
            to[at++] = '-';
        }
        int length = Math.max(decimalLength(scaled), fraction + 1) + 1;
        int end = at + length;
        int i = end - 1;
        for (int f = 0; f < fraction; f++) {
            to[i--] = (byte) ('0' + scaled % 10);
            scaled /= 10;
        }
        to[i--] = '.';
        do {
            to[i--] = (byte) ('0' + scaled % 10);
            scaled /= 10;
        } while (i >= at);
        return end;
    }

    /** The number of decimal digits of a value that is not negative. */
    static int decimalLength(long value) {
        int length = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            length++;
        }
        return length;
    }
}
