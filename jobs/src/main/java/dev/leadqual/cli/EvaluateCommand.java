package dev.leadqual.cli;

import dev.leadqual.udfs.tools.Evaluate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./leadqual evaluate}: understanding quality on the public data sets. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Print lead-signal, intent and slot precision/recall/F1 per data set (held-out and cross-data-set).")
public final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--data", description = "The shared data folder (default: ../shared/data beside the project).")
    String data;

    @Override
    public Integer call() throws Exception {
        String dir = data != null ? data : LocalFlink.home().resolve("../shared/data").normalize().toString();
        Evaluate.run(java.nio.file.Path.of(dir), System.out);
        return 0;
    }
}
