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
 * What a logger and the loggers under it write while this is open: {@code try (var logs = CapturedLogs.of(...))}, or
 * {@link #everything} the process logs. The tests run on JBoss LogManager, the operator's, whose records are formatted
 * as the log would print them ({@code LOG.warnf}'s {@code %s} filled in).
 */
public final class CapturedLogs implements AutoCloseable {

    /** One record as a log file gets it: its logger, level, and message followed by its stack trace, if any. */
    public record Entry(String logger, Level level, String text) {
        @Override
        public String toString() {
            return level + " " + logger + " " + text;
        }
    }

    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Map<Logger, Level> levelsBefore = new HashMap<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private CapturedLogs(String name) {
        logger = Logger.getLogger(name);
        handler.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    public static CapturedLogs of(String loggerName) {
        return new CapturedLogs(loggerName);
    }

    /**
     * Every logger's records, with the given categories at DEBUG meanwhile, so that statements below the operator's
     * INFO are seen too.
     */
    public static CapturedLogs everything(String... debugCategories) {
        CapturedLogs logs = new CapturedLogs("");
        for (String category : debugCategories) {
            Logger debug = Logger.getLogger(category);
            logs.levelsBefore.put(debug, debug.getLevel());
            debug.setLevel(Level.FINE);
        }
        return logs;
    }

    /** Each record as one line: level, logger, message. */
    public List<String> lines() {
        return records.stream().map(r -> r.getLevel() + " " + r.getLoggerName() + " " + message(r)).toList();
    }

    /** Each record with its stack trace, as a log file gets it. */
    public List<Entry> entries() {
        return records.stream().map(r -> new Entry(String.valueOf(r.getLoggerName()), r.getLevel(),
                r.getThrown() == null ? message(r) : message(r) + "\n" + stackTrace(r.getThrown()))).toList();
    }

    /** The records at WARNING or above that carry an exception, which a log prints as a stack trace. */
    public List<String> stackTraces() {
        return records.stream().filter(r -> r.getThrown() != null && r.getLevel().intValue() >= Level.WARNING.intValue())
                .map(r -> r.getLevel() + " " + r.getLoggerName() + " " + message(r) + ": " + r.getThrown())
                .toList();
    }

    private static String message(LogRecord record) {
        return record instanceof ExtLogRecord formatted ? formatted.getFormattedMessage()
                : new SimpleFormatter().formatMessage(record);
    }

    private static String stackTrace(Throwable thrown) {
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        levelsBefore.forEach(Logger::setLevel);
    }
}
