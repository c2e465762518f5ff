package dev.modelops.testing;

import org.jboss.logmanager.ExtLogRecord;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * What the process logs while it is open, as the lines a log file would get (message and stack trace), from every
 * logger through the root handler (the tests run on JBoss LogManager, the operator's). The named categories log at
 * DEBUG meanwhile, so that statements below the operator's INFO are seen too.
 */
public final class CapturedLog extends Handler implements AutoCloseable {

    /** The record of one log statement: its logger, level and the text it wrote. */
    public record Line(String logger, Level level, String text) {
        @Override
        public String toString() {
            return level + " [" + logger + "] " + text;
        }
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Map<Logger, Level> before = new HashMap<>();

    private CapturedLog() {
        setLevel(Level.ALL);
    }

    public static CapturedLog start(String... debugCategories) {
        CapturedLog log = new CapturedLog();
        for (String category : debugCategories) {
            Logger logger = Logger.getLogger(category);
            log.before.put(logger, logger.getLevel());
            logger.setLevel(Level.FINE);
        }
        Logger.getLogger("").addHandler(log);
        return log;
    }

    @Override
    public void publish(LogRecord record) {
        String message = record instanceof ExtLogRecord formatted ? formatted.getFormattedMessage()
                : new SimpleFormatter().formatMessage(record);
        StringBuilder text = new StringBuilder(String.valueOf(message));
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            text.append('\n').append(trace);
        }
        lines.add(new Line(String.valueOf(record.getLoggerName()), record.getLevel(), text.toString()));
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
        before.forEach(Logger::setLevel);
    }
}
