package dev.modelops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a start's time went, from the operator's log (its lines begin with the wall-clock time, HH:mm:ss.SSS):
 * the JVM and Quarkus's boot up to the first log line, the operator SDK up to starting its controllers, each
 * controller's start (its informers' lists until synced), and what remains until Quarkus reports it started.
 */
final class StartupPhases {

    static final String HEADER = "       N run variant   ready_s  cpu_s api_cpu_s  boot_s  sdk_s  modeljob_s"
            + "  modelversion_s  batchprediction_s  rest_s";
    private static final Pattern TIME = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d) ");

    private final LocalTime launched;
    private final List<String> lines;

    private StartupPhases(LocalTime launched, List<String> lines) {
        this.launched = launched;
        this.lines = lines;
    }

    /** The log of an operator whose process was started at {@code launched}. */
    static StartupPhases read(Path log, LocalTime launched) throws IOException {
        return new StartupPhases(launched, Files.readAllLines(log));
    }

    /** {@code apiCpu}: the API server's and runtime's process, meanwhile. */
    String row(int n, int run, String variant, Duration ready, Duration cpu, Duration apiCpu) {
        LocalTime first = lines.stream().map(StartupPhases::time).flatMap(Optional::stream).findFirst()
                .orElse(launched);
        LocalTime sdk = at("Starting operator.").orElse(first);
        LocalTime last = sdk;
        StringBuilder controllers = new StringBuilder();
        for (String controller : List.of("modeljob", "modelversion", "batchprediction")) {
            Optional<LocalTime> started = at("'" + controller + "' controller started");
            controllers.append(String.format(Locale.ROOT, "  %" + (controller.length() + 2) + "s",
                    started.map(t -> seconds(sdk, t)).orElse("-")));
            if (started.isPresent() && started.get().isAfter(last)) {
                last = started.get();
            }
        }
        LocalTime quarkus = at("(powered by Quarkus").orElse(last);
        return String.format(Locale.ROOT, "%8d %3d %-7s %8.2f %6.2f %9.2f %7s %6s%s %7s", n, run, variant,
                ready.toMillis() / 1000.0, cpu.toMillis() / 1000.0, apiCpu.toMillis() / 1000.0,
                seconds(launched, first), seconds(first, sdk), controllers, seconds(last, quarkus));
    }

    private Optional<LocalTime> at(String text) {
        return lines.stream().filter(line -> line.contains(text)).findFirst().flatMap(StartupPhases::time);
    }

    private static Optional<LocalTime> time(String line) {
        Matcher time = TIME.matcher(line);
        return time.find() ? Optional.of(LocalTime.parse(time.group(1))) : Optional.empty();
    }

    private static String seconds(LocalTime from, LocalTime to) {
        return String.format(Locale.ROOT, "%.2f", Duration.between(from, to).toMillis() / 1000.0);
    }
}
