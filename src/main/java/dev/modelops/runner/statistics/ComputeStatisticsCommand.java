package dev.modelops.runner.statistics;

import dev.modelops.runner.Command;
import dev.modelops.runner.Result;
import dev.modelops.runner.RunContext;

public final class ComputeStatisticsCommand implements Command {

    @Override
    public Result run(RunContext context) throws Exception {
        throw new UnsupportedOperationException();
    }
}
