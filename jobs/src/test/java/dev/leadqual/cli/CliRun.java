package dev.leadqual.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs a {@code ./leadqual} command line in this JVM, as the launcher would, capturing what it prints. */
public record CliRun(int code, String out) {

    public static synchronized CliRun of(String... args) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = new CommandLine(new LeadQualCli()).execute(args);
        } finally {
            System.setOut(stdout);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        stdout.print(out); // still in the test's log
        return new CliRun(code, out);
    }
}
