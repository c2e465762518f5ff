package dev.modelops.runner.score;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Rows to a CSV file (RFC 4180 quoting), a cell at a time: numbers are appended as their {@code toString} text without
 * boxing or a String of their own, and the text goes to the file in blocks of {@link #BLOCK} characters.
 */
final class CsvWriter implements AutoCloseable {

    private static final int BLOCK = 1 << 16;

    private final Writer out;
    private final StringBuilder buffer = new StringBuilder(BLOCK + 1024);
    private char[] chars = new char[BLOCK + 1024];
    private boolean rowStarted;

    CsvWriter(Path file, List<String> header) throws IOException {
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        write(header.toArray());
    }

    void write(Object[] cells) throws IOException {
        for (Object cell : cells) {
            cell(cell);
        }
        endRow();
    }

    void cell(Object value) {
        separate();
        if (value == null) {
            return;
        }
        if (value instanceof Double d) {
            buffer.append(d.doubleValue());
        } else if (value instanceof Float f) {
            buffer.append(f.floatValue());
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte) {
            buffer.append(((Number) value).longValue());
        } else if (value instanceof Boolean b) {
            buffer.append(b.booleanValue());
        } else {
            text(value.toString());
        }
    }

    void cell(double value) {
        separate();
        buffer.append(value);
    }

    void endRow() throws IOException {
        buffer.append('\n');
        rowStarted = false;
        if (buffer.length() >= BLOCK) {
            drain();
        }
    }

    private void separate() {
        if (rowStarted) {
            buffer.append(',');
        }
        rowStarted = true;
    }

    private void text(String text) {
        if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            buffer.append('"').append(text.replace("\"", "\"\"")).append('"');
        } else {
            buffer.append(text);
        }
    }

    private void drain() throws IOException {
        int length = buffer.length();
        if (chars.length < length) {
            chars = new char[length];
        }
        buffer.getChars(0, length, chars, 0);
        out.write(chars, 0, length);
        buffer.setLength(0);
    }

    @Override
    public void close() throws IOException {
        try {
            drain();
        } finally {
            out.close();
        }
    }
}
