package dev.leadqual.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the understanding benchmark of udfs/ ({@code udfs/src/test/java/dev/leadqual/udfs/bench/
 * UnderstandingBenchmark}, JMH, owned by udfs/) in its own JVM: JMH's main on udfs' compiled test
 * classes ahead of this JVM's classpath, so it measures the understanding code this job runs.
 */
public final class NluBench {

    public static final String BENCHMARK = "dev.leadqual.udfs.bench.UnderstandingBenchmark.understand$";

    /** µs per message: mean and median of JMH's sample-time distribution. */
    public record Result(double meanMicros, double p50Micros, double errorMicros, String command) {}

    private NluBench() {}

    public static Result run(Path home, Path outDir, boolean quick, StringBuilder log) throws IOException, InterruptedException {
        Path testClasses = home.resolve("udfs/target/test-classes");
        Path list = testClasses.resolve("META-INF/BenchmarkList");
        Path source = home.resolve("udfs/src/test/java/dev/leadqual/udfs/bench/UnderstandingBenchmark.java");
        if (!Files.isRegularFile(list) || (Files.isRegularFile(source)
                && Files.getLastModifiedTime(source).compareTo(Files.getLastModifiedTime(list)) > 0)) {
            // Compile udfs' test sources in this work tree (no install): JMH generates its harness there.
            List<String> mvn = List.of("mvn", "-q", "-o", "test-compile", "-pl", "udfs");
            log.append("compiling the JMH benchmark: ").append(String.join(" ", mvn)).append('\n');
            Process p = new ProcessBuilder(mvn).directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(outDir.resolve("nlu-compile.log").toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException("mvn test-compile -pl udfs failed; see " + outDir.resolve("nlu-compile.log"));
            }
        }
        Path json = outDir.resolve("jmh-understanding.json");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(testClasses + File.pathSeparator + System.getProperty("java.class.path"));
        cmd.add("org.openjdk.jmh.Main");
        cmd.add(BENCHMARK);
        // The same warm-up in both modes: C2 needs seconds for the large understand method (with 2 × 1 s
        // the quick figure measured the JIT, 5× the full run's on a quiet machine).
        cmd.addAll(quick
                ? List.of("-f", "1", "-wi", "3", "-w", "2s", "-i", "3", "-r", "1s")
                : List.of("-f", "1", "-wi", "3", "-w", "2s", "-i", "5", "-r", "2s"));
        cmd.addAll(List.of("-rf", "json", "-rff", json.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(outDir.resolve("jmh-understanding.log").toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroy();
            throw new IOException("JMH failed; see " + outDir.resolve("jmh-understanding.log"));
        }
        JsonNode metric = new ObjectMapper().readTree(json.toFile()).get(0).get("primaryMetric");
        String unit = metric.path("scoreUnit").asText();
        if (!unit.startsWith("us/")) {
            throw new IOException("unexpected JMH unit " + unit);
        }
        return new Result(metric.path("score").asDouble(), metric.path("scorePercentiles").path("50.0").asDouble(),
                metric.path("scoreError").asDouble(),
                "java -cp udfs/target/test-classes:<job classpath> org.openjdk.jmh.Main '" + BENCHMARK + "' "
                        + String.join(" ", cmd.subList(5, cmd.size() - 4)));
    }
}
