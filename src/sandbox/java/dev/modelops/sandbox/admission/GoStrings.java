package dev.modelops.sandbox.admission;

/** Go's {@code %q} and {@code %v} of the values in API server messages, so that messages match byte for byte. */
final class GoStrings {

    private GoStrings() {
    }

    /** Go's {@code strconv.Quote}: double quotes, backslash escapes for quotes, backslashes and control characters. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** Go's {@code %v} of a float64: no trailing {@code .0} for whole numbers. */
    static String formatFloat(double number) {
        if (number == Math.rint(number) && !Double.isInfinite(number) && Math.abs(number) < 1e21) {
            return Long.toString((long) number);
        }
        return Double.toString(number);
    }
}
