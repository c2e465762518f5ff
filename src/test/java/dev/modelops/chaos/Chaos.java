package dev.modelops.chaos;

import java.nio.file.Files;

/**
 * The chaos suite (README, Reliability), {@code ./mvnw -B -Pchaos verify}: the packaged operator, in a process of
 * its own, killed with SIGKILL and restarted at seeded random points while it runs ModelJobs, walks ModelVersions
 * and fires BatchPredictions against the embedded API server and the simulated runtime, which restarts and injects
 * faults; then nothing may be lost or run twice. The seed is printed first; its last line is machine-readable. Exits
 * 1 when something was lost or run twice.
 */
public final class Chaos {

    private Chaos() {
    }

    /** Exits by itself: the embedded servers' threads would keep the JVM alive, also after a failure. */
    public static void main(String[] args) {
        boolean passed;
        try {
            ChaosSettings settings = ChaosSettings.from(System.getenv());
            if (!Files.exists(settings.operatorJar())) {
                throw new IllegalStateException(settings.operatorJar() + " is missing: package the operator first");
            }
            System.out.println("chaos: seed " + settings.seed() + " (CHAOS_SEED), " + settings.jobs()
                    + " jobs (CHAOS_JOBS), " + settings.kills() + " kills (CHAOS_KILLS); operator logs in "
                    + settings.output().toAbsolutePath());
            ChaosReport report = new ChaosRun(settings, System.out).run();
            report.print(System.out);
            passed = report.passed();
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(2);
            return;
        }
        System.exit(passed ? 0 : 1);
    }
}
