package dev.modelops.runner.serve;

import dev.modelops.runner.Command;
import dev.modelops.runner.Result;
import dev.modelops.runner.RunContext;
import dev.modelops.runner.RunnerEnv;
import dev.modelops.runner.model.Models;
import dev.modelops.runner.model.OnnxModel;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code serve} (an Online deploy, {@code MODELOPS_JOB_TYPE=Deploy}): serves the model at
 * {@code MODELOPS_ARTIFACT_URI} as {@code MODELOPS_MODEL} version {@code MODELOPS_MODEL_VERSION} over the Open
 * Inference Protocol v2 on {@code MODELOPS_PORT} (8080) until SIGTERM. The port opens once the model is loaded, so
 * a TCP readiness probe means what {@code /v2/health/ready} means. On SIGTERM it stops gracefully (new requests 503,
 * those in flight finish) and returns its result: metrics requests, errors and seconds.
 */
public final class ServeCommand implements Command {

    /** How often the request count and latency are logged (when there were requests). */
    static final long STATS_SECONDS = 60;

    @Override
    public Result run(RunContext context) throws Exception {
        context.stop().listen();
        RunnerEnv env = context.env();
        String name = env.get(RunnerEnv.MODEL).orElse("model");
        String version = env.get(RunnerEnv.MODEL_VERSION).orElse("1");
        int port = env.integer(RunnerEnv.PORT, 8080);
        long started = System.nanoTime();
        try (OnnxModel model = Models.load(context)) {
            ServedModel served = new ServedModel(model, name, version, Models.featureColumns(env));
            context.log().info("loaded " + model.uri() + ": " + model.signature());
            ServeStats stats = new ServeStats();
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "serve-stats");
                thread.setDaemon(true);
                return thread;
            });
            try (V2Server server = V2Server.start(served, port, stats, context.log())) {
                ticker.scheduleAtFixedRate(() -> stats.logPeriod(context.log()), STATS_SECONDS, STATS_SECONDS,
                        TimeUnit.SECONDS);
                context.log().info("ready: model " + name + " version " + version + " on port " + server.port()
                        + " (Open Inference Protocol v2: POST /v2/models/" + name + "/infer)");
                context.stop().await();
                context.log().info("stopping: new requests get 503, those in flight finish");
            } finally {
                ticker.shutdownNow();
            }
            stats.logPeriod(context.log());
            double seconds = (System.nanoTime() - started) / 1e9;
            context.log().info("serve stopped after " + stats.requests() + " requests (" + stats.errors()
                    + " refused)");
            return new Result().metric("requests", stats.requests()).metric("errors", stats.errors())
                    .metric("seconds", Math.round(seconds));
        }
    }
}
