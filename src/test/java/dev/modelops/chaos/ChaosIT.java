package dev.modelops.chaos;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chaos suite's quick subset in {@code ./mvnw verify}, after the operator is packaged: a small run (40 jobs, two
 * models, four kills, one API server restart) under faults, of which nothing may be lost or run twice. The seed
 * comes from the clock unless {@code CHAOS_SEED} is set; a failure names it.
 */
class ChaosIT {

    @Test
    void aShortRunWithKillsRestartsAndFaultsLosesNothingAndRunsNothingTwice() throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("CHAOS_JOBS", "40");
        env.put("CHAOS_KILLS", "4");
        env.put("CHAOS_API_RESTARTS", "1");
        env.put("CHAOS_MODELS", "2");
        env.putIfAbsent("CHAOS_FAULT_SHARE", "0.03");
        env.putIfAbsent("CHAOS_SETTLE_SECONDS", "90");
        ChaosSettings settings = ChaosSettings.from(env).withOutput(Path.of("target", "chaos-it"));
        assertTrue(Files.exists(settings.operatorJar()), settings.operatorJar() + " is missing: it runs after package");

        ChaosReport report = new ChaosRun(settings, System.out).run();
        report.print(System.out);

        String again = " (CHAOS_SEED=" + settings.seed() + " ./mvnw -B package failsafe:integration-test"
                + " -Dit.test=ChaosIT repeats the run; the operator's logs are in " + settings.output() + ")";
        assertEquals(0, report.duplicates(), "steps run twice" + again);
        assertEquals(0, report.lost(), "work lost" + again);
    }
}
