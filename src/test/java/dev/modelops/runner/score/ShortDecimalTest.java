package dev.modelops.runner.score;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShortDecimalTest {

    @Test
    void shortDecimalsAreWrittenAsToStringWritesThem() {
        for (double value : new double[] {48.82, 0.05, -7.25, 2118.0, 0.001, 999999.5, 11.4, 0.1, 123.456789}) {
            assertEquals(Double.toString(value), text(value));
        }
        for (float value : new float[] {0.95106983f, 0.048930142f, 0.5f, 1.0f, 0.0013f, 0.1f, 0.33333334f}) {
            assertEquals(Float.toString(value), text(value));
        }
    }

    @Test
    void everyTextParsesBackToTheSameNumber() {
        Random random = new Random(20261202);
        int written = 0;
        for (int i = 0; i < 200_000; i++) {
            double decimal = Math.round(random.nextDouble() * 1e6) / 100.0 * (random.nextBoolean() ? 1 : -1);
            double any = Double.longBitsToDouble(random.nextLong());
            float probability = random.nextFloat();
            float tiny = (float) Math.pow(10, -3 * random.nextDouble() - 1);
            for (double value : new double[] {decimal, any, random.nextDouble()}) {
                String text = text(value);
                if (text != null) {
                    assertEquals(value, Double.parseDouble(text), text);
                    written++;
                }
            }
            for (float value : new float[] {probability, tiny, -probability}) {
                String text = text(value);
                if (text != null) {
                    assertEquals(value, Float.parseFloat(text), text);
                    assertTrue(text.length() <= Float.toString(value).length(), text + " longer than " + value);
                    written++;
                }
            }
        }
        assertTrue(written > 500_000, "most numbers are short: " + written);
    }

    @Test
    void othersAreLeftToToString() {
        for (double value : new double[] {0.0, -0.0, 1e-4, 1e6, 1e300, Double.NaN, Double.POSITIVE_INFINITY, Math.PI}) {
            assertEquals(null, text(value), Double.toString(value));
        }
    }

    private static String text(double value) {
        byte[] buffer = new byte[40];
        int end = ShortDecimal.write(value, buffer, 4);
        return end < 0 ? null : new String(buffer, 4, end - 4, StandardCharsets.US_ASCII);
    }

    private static String text(float value) {
        byte[] buffer = new byte[40];
        int end = ShortDecimal.write(value, buffer, 4);
        return end < 0 ? null : new String(buffer, 4, end - 4, StandardCharsets.US_ASCII);
    }
}
