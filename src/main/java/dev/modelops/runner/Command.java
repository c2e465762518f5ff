package dev.modelops.runner;

/** One job type's work: reads its inputs from the environment, logs, and returns its result or throws. */
public interface Command {

    Result run(RunContext context) throws Exception;
}
