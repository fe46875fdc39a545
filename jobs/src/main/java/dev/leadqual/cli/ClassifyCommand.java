package dev.leadqual.cli;

import dev.leadqual.udfs.tools.Classify;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./leadqual classify}: the understanding stage on JSON lines, without Flink. */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = {"Classify chat messages: one JSON object per line in ({\"text\":..., \"id\", \"language\", \"sent_at\", \"asked_slot\"}),",
                "one per line out with id, category, intent, confidence, language, sentiment, urgency and slots.",
                "asked_slot (optional): the slot the bot just asked for; a terse answer (\"150k\") is read as that slot."})
public final class ClassifyCommand implements Callable<Integer> {

    @Option(names = "--input", description = "JSON-lines file (default: standard input).")
    Path input;

    @Option(names = "--output", description = "JSON-lines file (default: standard output).")
    Path output;

    @Override
    public Integer call() throws Exception {
        try (Reader in = input == null
                        ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                        : Files.newBufferedReader(input, StandardCharsets.UTF_8);
                Writer out = output == null
                        ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))
                        : Files.newBufferedWriter(output, StandardCharsets.UTF_8);
                Progress progress = new Progress(System.err, "classify", -1)) {
            Classify.run(in, out, progress);
            out.flush();
        }
        return 0;
    }
}
