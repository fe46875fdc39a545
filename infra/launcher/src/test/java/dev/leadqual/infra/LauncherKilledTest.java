package dev.leadqual.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The launching JVM dies without running shutdown hooks (kill -9): the servers notice their stdin pipe
 * closing and exit on their own, and the next start sweeps the stale temp work dir.
 */
class LauncherKilledTest {

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS) // a safety net for a hung launcher, not a speed target: a loaded machine starts the broker slowly
  void serversExitWhenTheLauncherIsKilled() throws Exception {
    List<String> cmd = new ArrayList<>(List.of(LocalInfra.javaExecutable(),
        "-Xmx128m",
        "-cp", System.getProperty("java.class.path"),
        "-Dleadqual.home=" + System.getProperty("leadqual.home", ""),
        LocalInfra.class.getName(), "--no-registry"));
    Process launcher = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Path workDir = null;
    long kafkaPid = -1;
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        Matcher pid = Pattern.compile("\\(pid (\\d+),").matcher(line);
        if (line.startsWith("Kafka bootstrap servers") && pid.find()) {
          kafkaPid = Long.parseLong(pid.group(1));
        }
        Matcher logs = Pattern.compile("^Logs: (\\S+)/logs ").matcher(line);
        if (logs.find()) {
          workDir = Path.of(logs.group(1));
          break;
        }
      }
      assertThat(kafkaPid).as("launcher printed the broker pid").isPositive();
      assertThat(workDir).isDirectory();

      ProcessHandle broker = ProcessHandle.of(kafkaPid).orElseThrow();
      assertThat(broker.parent().map(ProcessHandle::pid)).contains(launcher.pid());

      launcher.destroyForcibly(); // SIGKILL: no shutdown hooks run
      launcher.waitFor();

      // the orphaned broker exits by itself once its stdin pipe closes
      broker.onExit().get(30, TimeUnit.SECONDS);
      assertThat(broker.isAlive()).isFalse();

      // nobody deleted the temp dir; the next start (or an explicit sweep) does
      assertThat(workDir).isDirectory();
      LocalInfra.sweepStaleTempDirs();
      assertThat(workDir).doesNotExist();
    } finally {
      launcher.destroyForcibly();
      if (kafkaPid > 0) {
        ProcessHandle.of(kafkaPid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }
}
