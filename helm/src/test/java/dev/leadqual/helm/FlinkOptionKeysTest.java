package dev.leadqual.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.junit.jupiter.api.Test;

/**
 * Every Flink key the chart sets is a current Flink 2.2 option key, read from Flink's own option
 * classes. A Flink 1.x name (state.checkpoints.dir, state.backend.incremental, ...) or a typo
 * would otherwise be ignored by the cluster without a word.
 */
class FlinkOptionKeysTest {

    /** Keys Flink does not define in its option classes: read by the operator or a reporter. */
    private static final List<String> NOT_FLINK_OPTIONS = List.of("kubernetes.operator.", "metrics.reporter.");

    private static final Pattern OPTION_CLASS =
            Pattern.compile("org/apache/flink/(configuration|state/rocksdb)/[A-Za-z]+Options\\.class");

    @Test
    void everyKeyIsAFlink22OptionAndNoneIsDeprecated() throws Exception {
        Map<String, String> known = flinkOptionKeys();
        assertThat(known).containsKeys("execution.checkpointing.dir", "state.backend.rocksdb.memory.managed");
        assertThat(known.get("state.checkpoints.dir")).startsWith("deprecated, use execution.checkpointing.dir");

        List<String> problems = new ArrayList<>();
        RenderedChart.render().flinkDeployment().path("spec").path("flinkConfiguration").fieldNames()
                .forEachRemaining(key -> {
                    if (NOT_FLINK_OPTIONS.stream().anyMatch(key::startsWith)) {
                        return;
                    }
                    String status = known.get(key);
                    if (status == null) {
                        problems.add(key + ": not a Flink 2.2 option");
                    } else if (!status.equals("current")) {
                        problems.add(key + ": " + status);
                    }
                });
        assertThat(problems).isEmpty();
    }

    /** key -> "current", or "deprecated, use X" for fallback keys. */
    private static Map<String, String> flinkOptionKeys() throws Exception {
        Map<String, String> keys = new HashMap<>();
        for (Class<?> anchor : List.of(CheckpointingOptions.class, RocksDBOptions.class)) {
            try (JarFile jar = new JarFile(jarOf(anchor).toFile())) {
                for (JarEntry entry : jar.stream().toList()) {
                    if (OPTION_CLASS.matcher(entry.getName()).matches()) {
                        collect(entry.getName().replace('/', '.').replace(".class", ""), keys);
                    }
                }
            }
        }
        return keys;
    }

    private static void collect(String className, Map<String, String> keys) {
        Class<?> options;
        try {
            options = Class.forName(className, true, FlinkOptionKeysTest.class.getClassLoader());
        } catch (Throwable notLoadable) {
            return; // an options class needing runtime classes this module does not have
        }
        for (Field field : options.getFields()) {
            if (!Modifier.isStatic(field.getModifiers()) || !ConfigOption.class.isAssignableFrom(field.getType())) {
                continue;
            }
            try {
                ConfigOption<?> option = (ConfigOption<?>) field.get(null);
                keys.put(option.key(), "current");
                for (FallbackKey fallback : option.fallbackKeys()) {
                    keys.putIfAbsent(fallback.getKey(),
                            (fallback.isDeprecated() ? "deprecated" : "fallback") + ", use " + option.key());
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static Path jarOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
