package dev.modelops.runner.score;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Rows to a CSV file (RFC 4180 quoting), one at a time. */
final class CsvWriter implements AutoCloseable {

    private final BufferedWriter out;

    CsvWriter(Path file, List<String> header) throws IOException {
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        write(header.toArray());
    }

    void write(Object[] cells) throws IOException {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(cell(cells[i]));
        }
        out.write('\n');
    }

    private static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
