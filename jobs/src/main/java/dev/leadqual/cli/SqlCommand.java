package dev.leadqual.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;

/**
 * {@code ./leadqual sql}: Flink SQL over the output topics. Runs {@code dev.leadqual.sql.LeadQualSql}
 * (module {@code sql/}) in its own JVM on its own classpath: Flink's avro-confluent format carries
 * Confluent's client and its own Avro, which cannot share a classpath with the job's flink-avro.
 */
@Command(name = "sql", modelTransformer = SqlCommand.PassThrough.class,
        description = {"Flink SQL over the output topics: an interactive shell, or run -f FILE, -e SQL, --query NAME.",
            "Every option goes to the SQL runner: ./leadqual sql --help lists them (sql/README.md)."})
public final class SqlCommand implements Callable<Integer> {

    /** Module opens Flink needs on Java 17 (as the ./leadqual script and flink-dist pass them). */
    private static final List<String> OPENS = List.of(
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    /** Every option goes to the SQL runner, in order, as it was typed. */
    static final class PassThrough implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            spec.parser().unmatchedOptionsArePositionalParams(true);
            return spec;
        }
    }

    @Parameters(arity = "0..*", paramLabel = "ARGS", description = "Options of the SQL runner (./leadqual sql --help).")
    List<String> args = new ArrayList<>();

    @Override
    @SuppressWarnings("restriction")
    public Integer call() throws Exception {
        Process p = new ProcessBuilder(command(LocalFlink.home(), args)).inheritIO().start();
        // Ctrl-C reaches both JVMs (one process group): the SQL runner cancels its query or clears the
        // line; this JVM keeps waiting for it instead of leaving it without a parent.
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> {});
        return p.waitFor();
    }

    /** The SQL runner's command line: this Java, the sql/ module's jar and classpath, then {@code args}. */
    public static List<String> command(Path home, List<String> args) {
        Path jar = home.resolve("sql/target/leadqual-sql.jar");
        Path lib = home.resolve("sql/target/lib");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
            throw new IllegalStateException("The SQL classpath is missing (" + jar + ", " + lib
                    + "): build it with 'mvn -B package -DskipTests -pl jobs -am' (./leadqual does)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + System.getProperty("leadqual.sql.heap", "2g"));
        command.addAll(OPENS);
        command.add("-Dlog4j2.configurationFile=" + home.resolve("flink-conf/log4j-cli.properties"));
        command.add("-Dleadqual.log.dir=" + System.getProperty("leadqual.log.dir", home.resolve(".leadqual/logs").toString()));
        command.add("-cp");
        command.add(jar + File.pathSeparator + lib + File.separator + "*");
        command.add("dev.leadqual.sql.LeadQualSql");
        command.addAll(args);
        return command;
    }
}
