package dev.modelops.sandbox.runtime;

import io.fabric8.kubernetes.api.model.Pod;

import dev.modelops.sandbox.server.PodLogSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

        /**
         * The log's lines spread over the container's run: of n lines, line i is printed at i/n of its duration (the
         * first as it starts; all of them as it starts for a container that runs until stopped); a stopped container
         * has printed only what came before it ended.
         */
        @Override
        public List<PodLogSource.Line> logs(Instant now) {
            Instant end = exit(now).map(ContainerExit::finishedAt).orElse(now);
            List<String> lines = behaviour.log().lines().toList();
            List<PodLogSource.Line> printed = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                Instant at = printedAt(i, lines.size());
                if (at.isAfter(end)) {
                    break;
                }
                printed.add(new PodLogSource.Line(at, lines.get(i) + "\n"));
            }
            return printed;
        }

        private Instant printedAt(int line, int lines) {
            return startedAt.plusMillis(behaviour.duration().map(Duration::toMillis).orElse(0L) * line / lines);
        }

        /** When it ends by itself; empty for one that runs until it is stopped. */
        private Optional<Instant> natural() {
            return behaviour.duration().map(startedAt::plus);
        }

        /** The stop, if it ends the container before it would have ended by itself. */
        private Optional<ContainerExit> endingStop() {
            ContainerExit byStop = stopped;
            return byStop != null && natural().map(byStop.finishedAt()::isBefore).orElse(true)
                    ? Optional.of(byStop) : Optional.empty();
        }

        @Override
        public Optional<ContainerExit> exit(Instant now) {
            if (behaviour.invalid().isPresent()) {
                return Optional.of(new ContainerExit(128, "StartError", behaviour.invalid().get(), startedAt));
            }
            Optional<ContainerExit> byStop = endingStop();
            if (byStop.isPresent()) {
                return now.isBefore(byStop.get().finishedAt()) ? Optional.empty() : byStop;
            }
            Optional<Instant> natural = natural();
            if (natural.isEmpty() || now.isBefore(natural.get())) {
                return Optional.empty();
            }
            return Optional.of(new ContainerExit(behaviour.exitCode(), behaviour.exitCode() == 0 ? "Completed" : "Error",
                    behaviour.terminationMessage(), natural.get()));
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
            Optional<Instant> end = endingStop().map(ContainerExit::finishedAt).or(this::natural);
            int lines = (int) behaviour.log().lines().count();
            for (int i = 0; i < lines; i++) {
                Instant at = printedAt(i, lines);
                if (at.isAfter(now) && end.map(at::isBefore).orElse(true)) {
                    return Optional.of(at);
                }
            }
            return end;
        }
    }
}
