package dev.leadqual.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./leadqual}: the user's front door. */
@Command(name = "leadqual", mixinStandardHelpOptions = true, version = "LeadQual 0.1.0",
        description = "Turns live support chats into qualified sales leads (Apache Flink 2.2).",
        subcommands = {DemoCommand.class, ClassifyCommand.class, ReplayCommand.class, EvaluateCommand.class,
                PolicyCommand.class, CalibrationCommand.class, BacktestCommand.class, SampleChatsCommand.class,
                ClusterCommand.class, SubmitCommand.class, StateCommand.class, BenchCommand.class, SqlCommand.class,
                CommandLine.HelpCommand.class})
public final class LeadQualCli {

    public static void main(String[] args) {
        int code = new CommandLine(new LeadQualCli()).execute(args);
        System.exit(code);
    }
}
