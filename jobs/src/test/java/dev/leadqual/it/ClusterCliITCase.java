package dev.leadqual.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.cli.CliRun;
import dev.leadqual.cluster.LocalCluster;
import dev.leadqual.config.Topics;
import dev.leadqual.demo.ChatProducer;
import dev.leadqual.schema.ActionType;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.DecisionAudit;
import dev.leadqual.serde.RegistrySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's runbook through the launcher's own commands, on a real standalone cluster (a
 * JobManager and a TaskManager as separate JVMs) against the real broker and registry:
 * {@code cluster start}, {@code cluster status}, {@code submit}, {@code cluster stop-job --savepoint},
 * {@code submit --from-savepoint}, {@code cluster stop}. A conversation half sent before the
 * savepoint and half while the job is stopped is qualified as one: every message decided exactly
 * once, and the handoff at its end uses the slots remembered before the upgrade.
 */
class ClusterCliITCase extends KafkaTestBase {

    @TempDir
    static Path work;

    @AfterAll
    static void stopTheClusterIfATestLeftItRunning() throws Exception {
        LocalCluster.attach(work.resolve("cluster")).ifPresent(LocalCluster::close);
    }

    @Test
    void startSubmitStopWithSavepointResubmitAndStopThroughTheCli() throws Exception {
        String dir = work.resolve("cluster").toString();
        CliRun start = CliRun.of("cluster", "start", "--task-managers", "1", "--slots", "2", "--rest-port", "0",
                "--tm-memory", "1g", "--cluster-dir", dir);
        assertThat(start.code()).as(start.out()).isZero();
        assertThat(start.out()).contains("Flink cluster ready").contains("taskmanager");
        CliRun status = CliRun.of("cluster", "status", "--cluster-dir", dir);
        assertThat(status.code()).isZero();
        assertThat(status.out()).contains("TaskManagers 1, slots 2 total / 2 free, jobs running 0");
        Map<String, Long> pids = LocalCluster.attach(Path.of(dir)).orElseThrow().pids();
        assertThat(pids).hasSize(2);

        String prefix = "cli-";
        Topics topics = Topics.resolve(name -> prefix + name);
        infra.createTopics(topics.streams(), PARALLELISM, false);
        infra.createTopics(topics.compacted(), PARALLELISM, true);
        List<String> submit = new ArrayList<>(List.of("submit", "--cluster-dir", dir, "--parallelism", "2",
                "-D", "execution.checkpointing.interval=1 s", "--"));
        submit.addAll(ClusterFaultToleranceITCase.jobArgs(infra, prefix, "cli-it"));
        CliRun first = CliRun.of(submit.toArray(String[]::new));
        assertThat(first.code()).as(first.out()).isZero();
        String jobId = first.out().lines().filter(l -> l.matches("[0-9a-f]{32}")).findFirst().orElseThrow();
        assertThat(CliRun.of("cluster", "status", "--cluster-dir", dir).out()).contains(jobId + "  RUNNING");

        List<ChatEvent> chat = LeadQualJobITCase.salesConversation("cli-1", 0);
        JobOutputs out = outputs(topics);
        try (ChatProducer producer = new ChatProducer(infra.bootstrapServers(), new Properties(),
                RegistrySettings.of(infra.registryUrl()), topics)) {
            for (ChatEvent e : chat.subList(0, 4)) {
                producer.send(e).get();
            }
            assertThat(out.awaitUntil(o -> o.audit.size() >= 4, Duration.ofMinutes(2)))
                    .as("decisions on the first half, committed").isTrue();

            CliRun stop = CliRun.of("cluster", "stop-job", jobId, "--savepoint", "--cluster-dir", dir);
            assertThat(stop.code()).as(stop.out()).isZero();
            Matcher m = Pattern.compile("Savepoint: (\\S+)").matcher(stop.out());
            assertThat(m.find()).as(stop.out()).isTrue();
            String savepoint = m.group(1);

            for (ChatEvent e : chat.subList(4, chat.size())) { // sent while no job runs
                producer.send(e).get();
            }
            List<String> resubmit = new ArrayList<>(submit);
            resubmit.addAll(3, List.of("--from-savepoint", savepoint));
            CliRun second = CliRun.of(resubmit.toArray(String[]::new));
            assertThat(second.code()).as(second.out()).isZero();
        }

        List<String> messages = chat.stream().filter(e -> e.getText() != null).map(ChatEvent::getEventId).toList();
        boolean done = out.awaitUntil(o -> o.audit.size() >= messages.size() && !o.handoffs.isEmpty() && !o.outcomes.isEmpty(),
                Duration.ofMinutes(2));
        assertThat(done).as("the second half decided by the restored job, the handoff and the close; decided %s, handoffs %d,"
                + " actions %s; cluster logs in %s:%n%s", out.audit.stream().map(DecisionAudit::getEventId).toList(),
                out.handoffs.size(), out.actions.stream().map(a -> a.getAction() + "/" + a.getReason()).toList(),
                dir, ClusterFaultToleranceITCase.errorsInLogs(Path.of(dir).resolve("log"))).isTrue();
        out.awaitUntil(o -> false, Duration.ofSeconds(3)); // nothing more should come
        out.close();
        Map<String, Long> decisions = out.audit.stream()
                .collect(Collectors.groupingBy(DecisionAudit::getEventId, Collectors.counting()));
        assertThat(decisions).as("every message decided exactly once across the savepoint")
                .containsOnlyKeys(messages)
                .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
        assertThat(out.handoffs).singleElement().satisfies(h -> assertThat(h.getSessionId()).isEqualTo("cli-1"));
        assertThat(out.actions).extracting(a -> a.getAction()).contains(ActionType.HANDOFF_TO_SALES);
        // the session closed after the restore counts every turn, those before the savepoint included
        assertThat(out.outcomes).singleElement().satisfies(o -> {
            assertThat(o.getVisitorTurns()).isEqualTo(messages.size());
            assertThat(o.getQualified()).isTrue();
        });

        CliRun stopped = CliRun.of("cluster", "stop", "--cluster-dir", dir);
        assertThat(stopped.code()).isZero();
        assertThat(CliRun.of("cluster", "status", "--cluster-dir", dir).code()).isEqualTo(3);
        assertThat(pids.values()).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("pid %d stopped", pid).isFalse());
    }
}
