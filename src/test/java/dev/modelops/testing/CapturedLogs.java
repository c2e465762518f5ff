package dev.modelops.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** What a logger and the loggers under it write while this is open: {@code try (var logs = CapturedLogs.of(...))}. */
public final class CapturedLogs implements AutoCloseable {

    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
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

    /** Each record as one line: level, logger, message. */
    public List<String> lines() {
        SimpleFormatter formatter = new SimpleFormatter();
        return records.stream().map(r -> r.getLevel() + " " + r.getLoggerName() + " " + formatter.formatMessage(r))
                .toList();
    }

    /** The records at WARNING or above that carry an exception, which a log prints as a stack trace. */
    public List<String> stackTraces() {
        SimpleFormatter formatter = new SimpleFormatter();
        return records.stream().filter(r -> r.getThrown() != null && r.getLevel().intValue() >= Level.WARNING.intValue())
                .map(r -> r.getLevel() + " " + r.getLoggerName() + " " + formatter.formatMessage(r) + ": "
                        + r.getThrown())
                .toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
