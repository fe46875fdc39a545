package dev.leadqual.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SqlCommandTest {

    @Test
    void everyOptionReachesTheSqlRunnerUnchangedAndInOrder() {
        List<String> typed = List.of("--kafka.bootstrap", "h:9092", "-q", "funnel", "-e", "SELECT 1; SELECT 2",
                "--topic", "crm.leads=crm.leads.v2", "--format", "json", "--help");
        CommandLine.ParseResult parsed = new CommandLine(new LeadQualCli())
                .parseArgs(java.util.stream.Stream.concat(java.util.stream.Stream.of("sql"), typed.stream())
                        .toArray(String[]::new));
        SqlCommand sql = (SqlCommand) parsed.subcommand().commandSpec().userObject();
        assertThat(sql.args).isEqualTo(typed);
    }
}
