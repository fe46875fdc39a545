package dev.leadqual.infra;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of the server JVMs that {@link LocalInfra} starts. It runs on the <em>server's</em>
 * classpath (LocalInfra copies this single class file into the work dir), so it uses JDK classes only
 * and must compile to one class file: no nested or anonymous classes, lambdas are fine.
 *
 * <p>Usage: {@code ChildMain [--kafka-format <server.properties> <clusterId>] <mainClass> [args...]}.
 *
 * <ul>
 *   <li>Watches its stdin: LocalInfra keeps the write end of that pipe open, so end-of-file means the
 *       launching JVM is gone (even after {@code kill -9}); the server then exits instead of living on
 *       as an orphan.
 *   <li>{@code --kafka-format} formats the KRaft storage in this same JVM (StorageTool) before running
 *       the broker, which saves starting a JVM just for the format step.
 * </ul>
 */
final class ChildMain {

  private ChildMain() {}

  public static void main(String[] args) throws Throwable {
    Thread watch = new Thread(ChildMain::watchParent, "leadqual-parent-watch");
    watch.setDaemon(true);
    watch.start();

    int i = 0;
    if (args.length >= 3 && args[0].equals("--kafka-format")) {
      formatKafkaStorage(args[1], args[2]);
      i = 3;
    }
    if (i >= args.length) {
      System.err.println("usage: ChildMain [--kafka-format <props> <clusterId>] <mainClass> [args...]");
      System.exit(2);
    }
    Method main = Class.forName(args[i]).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) Arrays.copyOfRange(args, i + 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void formatKafkaStorage(String props, String clusterId) throws Throwable {
    Method execute =
        Class.forName("kafka.tools.StorageTool").getMethod("execute", String[].class, PrintStream.class);
    Object rc;
    try {
      rc = execute.invoke(null, new String[] {"format", "-t", clusterId, "-c", props, "--ignore-formatted"},
          System.out);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
    if (!Integer.valueOf(0).equals(rc)) {
      System.err.println("leadqual: kafka storage format failed with exit code " + rc);
      System.exit(3);
    }
  }

  private static void watchParent() {
    try {
      byte[] buf = new byte[256];
      while (System.in.read(buf) >= 0) {
        // the parent never writes; anything read is ignored
      }
    } catch (IOException e) {
      // treat like end-of-file
    }
    System.err.println("leadqual: launching process is gone (stdin closed); shutting down");
    Thread halt = new Thread(ChildMain::haltLater, "leadqual-halt");
    halt.setDaemon(true);
    halt.start();
    System.exit(0);
  }

  /** If the server's shutdown hooks hang, do not stay around as an orphan. */
  private static void haltLater() {
    try {
      Thread.sleep(15_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Runtime.getRuntime().halt(1);
  }
}
