package dev.modelops.runner.score;

import dev.modelops.runner.Command;
import dev.modelops.runner.Result;
import dev.modelops.runner.RunContext;

public final class ScoreCommand implements Command {

    @Override
    public Result run(RunContext context) throws Exception {
        throw new UnsupportedOperationException();
    }
}
