package dev.leadqual.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./leadqual replay} leaves nothing in the temp dir, whether the replay worked or failed: its work
 * dir holds the embedded Flink's checkpoints and files, and is removed when the command ends.
 */
class ReplayCommandTest {

    @TempDir
    Path dir;

    @Test
    void removesItsWorkDirAfterAReplay() throws Exception {
        Path input = Files.writeString(dir.resolve("chats.jsonl"), String.join("\n",
                "{\"session_id\":\"buyer\",\"text\":\"Hi, how much is the enterprise plan for 200 seats?\"}",
                "{\"session_id\":\"buyer\",\"text\":\"Our budget is around $50k per year.\"}") + "\n");
        Path output = dir.resolve("outcomes.jsonl");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));

        CliRun run = withTmpDir(tmp, () -> CliRun.of("replay", "--input", input.toString(), "--output", output.toString()));

        assertThat(run.code()).isZero();
        assertThat(Files.readAllLines(output)).singleElement().asString().contains("\"session_id\":\"buyer\"");
        assertThat(leftIn(tmp)).isEmpty();
    }

    @Test
    void removesItsWorkDirWhenTheReplayFails() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));

        CliRun run = withTmpDir(tmp, () -> CliRun.of("replay", "--input", dir.resolve("missing.jsonl").toString(),
                "--output", dir.resolve("outcomes.jsonl").toString()));

        assertThat(run.code()).isNotZero();
        assertThat(leftIn(tmp)).isEmpty();
    }

    private static List<Path> leftIn(Path tmp) throws Exception {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.toList();
        }
    }

    private interface Run {
        CliRun call() throws Exception;
    }

    /** Runs with java.io.tmpdir pointing at {@code tmp} (the command creates its work dir there). */
    private static CliRun withTmpDir(Path tmp, Run run) throws Exception {
        String before = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", tmp.toString());
        try {
            return run.call();
        } finally {
            System.setProperty("java.io.tmpdir", before);
        }
    }
}
