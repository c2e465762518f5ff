package dev.modelops.operator;

import dev.modelops.sandbox.SandboxConfig;
import dev.modelops.workload.JobSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's table of operator settings lists every setting of the {@code @ConfigMapping}s with its default. */
class SettingsTableTest {

    private static final Pattern ROW = Pattern.compile("^\\| `(modelops\\.[a-z.-]+)` \\| (`([^`]*)`|none) \\|",
            Pattern.MULTILINE);

    @Test
    void theReadmeTableIsTheSettingsTheOperatorReads() throws Exception {
        Map<String, String> documented = new TreeMap<>();
        Matcher row = ROW.matcher(Files.readString(Path.of("README.md")));
        while (row.find()) {
            documented.put(row.group(1), row.group(3) == null ? "none" : row.group(3));
        }
        Map<String, String> read = new TreeMap<>();
        for (Class<?> mapping : new Class<?>[] {JobSettings.class, LeaderElectionSettings.class, SandboxConfig.class}) {
            settings(mapping.getAnnotation(ConfigMapping.class).prefix(), mapping, read);
        }
        assertEquals(read, documented, "left: what the @ConfigMapping interfaces read; right: the README's table");
    }

    /** Each method is a setting named in kebab case, or a group of them when it returns a nested interface. */
    private static void settings(String prefix, Class<?> mapping, Map<String, String> into) {
        for (Method method : mapping.getDeclaredMethods()) {
            if (method.isDefault() || java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            String name = prefix + "." + (method.isAnnotationPresent(WithName.class)
                    ? method.getAnnotation(WithName.class).value() : kebab(method.getName()));
            if (method.getReturnType().isInterface() && method.getReturnType().getEnclosingClass() == mapping) {
                settings(name, method.getReturnType(), into);
            } else {
                WithDefault byDefault = method.getAnnotation(WithDefault.class);
                into.put(name, byDefault == null ? "none" : byDefault.value());
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}
