package dev.leadqual.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HomeResolutionTest {

  private final Path home = Path.of(System.getProperty("leadqual.home")).toAbsolutePath().normalize();

  @Test
  void surefireHomeIsTheRepoRoot() throws Exception {
    assertThat(LocalInfra.resolveHome(null)).isEqualTo(home);
    assertThat(home.resolve("infra/kafka-broker")).isDirectory();
  }

  @Test
  void aModuleDirResolvesToTheRepoRoot() throws Exception {
    assertThat(LocalInfra.resolveHome(home.resolve("infra/launcher"))).isEqualTo(home);
  }

  @Test
  void freePortsAreDistinctAndBindable() throws Exception {
    int[] ports = LocalInfra.freePorts(3);
    assertThat(ports).doesNotHaveDuplicates().doesNotContain(0);
  }

  @Test
  void tailOfAMissingFileSaysSo(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    assertThat(LocalInfra.tail(dir.resolve("nope.log"), 5)).contains("no such file");
    Path f = dir.resolve("a.log");
    Files.writeString(f, "1\n2\n3\n4\n");
    assertThat(LocalInfra.tail(f, 2)).isEqualTo("3\n4");
  }
}
