package dev.modelops.runner;

import dev.modelops.runner.store.Storage;

import java.nio.file.Path;

/**
 * What a command works with: its inputs, its log, the stores it reads and writes, a scratch folder, and the stop
 * signal (SIGTERM) for a command that runs until it comes.
 */
public record RunContext(RunnerEnv env, Log log, Storage storage, Path workDir, StopSignal stop) {
}
