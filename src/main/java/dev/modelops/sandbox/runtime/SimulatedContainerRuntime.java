package dev.modelops.sandbox.runtime;

import io.fabric8.kubernetes.api.model.Pod;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Containers that do what their pod's {@code sandbox.modelops.dev/*} annotations say; nothing runs. */
public final class SimulatedContainerRuntime implements ContainerRuntime {

    @Override
    public ContainerRun start(Pod pod, Instant now) {
        return new SimulatedRun(SimulatedBehaviour.of(pod), now);
    }

    private static final class SimulatedRun implements ContainerRun {
        private final SimulatedBehaviour behaviour;
        private final Instant startedAt;
        private volatile ContainerExit stopped;

        SimulatedRun(SimulatedBehaviour behaviour, Instant startedAt) {
            this.behaviour = behaviour;
            this.startedAt = startedAt;
        }

        @Override
        public String logs(Instant now) {
            String log = behaviour.log();
            Instant end = exit(now).map(ContainerExit::finishedAt).orElse(null);
            if (end != null && !now.isBefore(end) && stopped == null) {
                return log;
            }
            long total = Math.max(1, behaviour.duration().toMillis());
            long elapsed = Duration.between(startedAt, end != null && end.isBefore(now) ? end : now).toMillis();
            int lines = (int) log.lines().count();
            long shown = Math.min(lines, lines * Math.max(0, elapsed) / total);
            return log.lines().limit(shown).map(line -> line + "\n").reduce("", String::concat);
        }

        @Override
        public Optional<ContainerExit> exit(Instant now) {
            if (behaviour.invalid().isPresent()) {
                return Optional.of(new ContainerExit(128, "StartError", behaviour.invalid().get(), startedAt));
            }
            ContainerExit byStop = stopped;
            Instant natural = startedAt.plus(behaviour.duration());
            if (byStop != null && byStop.finishedAt().isBefore(natural)) {
                return now.isBefore(byStop.finishedAt()) ? Optional.empty() : Optional.of(byStop);
            }
            if (now.isBefore(natural)) {
                return Optional.empty();
            }
            return Optional.of(new ContainerExit(behaviour.exitCode(), behaviour.exitCode() == 0 ? "Completed" : "Error",
                    behaviour.terminationMessage(), natural));
        }

        @Override
        public void stop(Instant now, Instant killAt) {
            Instant graceful = now.plus(behaviour.shutdownDelay());
            stopped = graceful.isAfter(killAt)
                    ? new ContainerExit(137, "Error", behaviour.terminationMessage(), killAt)
                    : new ContainerExit(143, "Error", behaviour.terminationMessage(), graceful);
        }

        @Override
        public Optional<Instant> nextChange(Instant now) {
            if (exit(now).isPresent()) {
                return Optional.empty();
            }
            Instant natural = startedAt.plus(behaviour.duration());
            ContainerExit byStop = stopped;
            return Optional.of(byStop != null && byStop.finishedAt().isBefore(natural) ? byStop.finishedAt() : natural);
        }
    }
}
