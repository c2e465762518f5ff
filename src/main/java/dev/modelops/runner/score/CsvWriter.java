package dev.modelops.runner.score;

import dev.modelops.runner.model.Prediction;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Rows to a UTF-8 CSV file (RFC 4180 quoting), one at a time, encoded straight into a byte buffer: through a
 * {@code Writer} the characters of every cell were copied and encoded twice, and this is most of the runner's own
 * work when it scores a cheap model.
 */
final class CsvWriter implements AutoCloseable {

    private static final int BUFFER_BYTES = 1 << 16;
    /** Room for the longest long, or short decimal, as text. */
    private static final int NUMBER_BYTES = 32;

    private final OutputStream out;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int at;

    CsvWriter(Path file, List<String> header) throws IOException {
        this.out = Files.newOutputStream(file);
        for (int i = 0; i < header.size(); i++) {
            if (i > 0) {
                put(',');
            }
            text(header.get(i));
        }
        put('\n');
    }

    /** A dataset row's cells, then its prediction (and the probabilities of a classifier). */
    void write(Object[] cells, Prediction prediction, boolean classifier) throws IOException {
        for (Object cell : cells) {
            cell(cell);
            put(',');
        }
        text(prediction.label());
        if (classifier) {
            for (double p : prediction.probabilities()) {
                put(',');
                probability(p);
            }
        }
        put('\n');
    }

    private void cell(Object value) throws IOException {
        if (value == null) {
            return;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            integer(((Number) value).longValue());
        } else if (value instanceof Double d) {
            real(d);
        } else if (value instanceof Number || value instanceof Boolean) {
            ascii(value.toString());
        } else {
            text(value.toString());
        }
    }

    private void integer(long value) throws IOException {
        if (value == Long.MIN_VALUE) {
            ascii(Long.toString(value));
            return;
        }
        room(NUMBER_BYTES);
        if (value < 0) {
            buffer[at++] = '-';
            value = -value;
        }
        int end = at + ShortDecimal.decimalLength(value);
        for (int i = end - 1; i >= at; i--) {
            buffer[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        at = end;
    }

    /** Text known to be ASCII with nothing to quote (numbers, booleans). */
    private void ascii(String text) throws IOException {
        int length = text.length();
        if (length > buffer.length) {
            flush();
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            return;
        }
        room(length);
        for (int i = 0; i < length; i++) {
            buffer[at++] = (byte) text.charAt(i);
        }
    }

    private void text(String text) throws IOException {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x80 || c == ',' || c == '"' || c == '\n' || c == '\r') {
                quoted(text);
                return;
            }
        }
        ascii(text);
    }

    private void quoted(String text) throws IOException {
        boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0
                || text.indexOf('\r') >= 0;
        byte[] bytes = (quote ? "\"" + text.replace("\"", "\"\"") + "\"" : text).getBytes(StandardCharsets.UTF_8);
        if (bytes.length > buffer.length) {
            flush();
            out.write(bytes);
            return;
        }
        room(bytes.length);
        System.arraycopy(bytes, 0, buffer, at, bytes.length);
        at += bytes.length;
    }

    private void put(char c) throws IOException {
        room(1);
        buffer[at++] = (byte) c;
    }

    private void room(int bytes) throws IOException {
        if (at + bytes > buffer.length) {
            flush();
        }
    }

    private void flush() throws IOException {
        out.write(buffer, 0, at);
        at = 0;
    }

    private void real(double value) throws IOException {
        room(NUMBER_BYTES);
        int end = ShortDecimal.write(value, buffer, at);
        if (end < 0) {
            ascii(Double.toString(value));
        } else {
            at = end;
        }
    }

    /**
     * A model's FLOAT output as the float it is: its double has about 17 significant digits, most of them noise of the
     * widening, and formatting those cost more than the rest of the row.
     */
    private void probability(double p) throws IOException {
        float f = (float) p;
        if (f != p) {
            real(p);
            return;
        }
        room(NUMBER_BYTES);
        int end = ShortDecimal.write(f, buffer, at);
        if (end < 0) {
            ascii(Float.toString(f));
        } else {
            at = end;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            out.close();
        }
    }
}
