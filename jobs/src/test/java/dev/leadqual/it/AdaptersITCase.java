package dev.leadqual.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.adapters.ChatCompletions;
import dev.leadqual.adapters.RecordingHttpServer;
import dev.leadqual.adapters.RecordingHttpServer.Reply;
import dev.leadqual.config.JobSettings;
import dev.leadqual.config.Topics;
import dev.leadqual.demo.ChatProducer;
import dev.leadqual.schema.ActionType;
import dev.leadqual.schema.NextAction;
import dev.leadqual.schema.QualifiedLead;
import dev.leadqual.schema.SalesHandoff;
import dev.leadqual.schema.SessionOutcome;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;

/**
 * The adapters in the real job on the real broker: while the LLM endpoint is too slow and the CRM is
 * down, every handoff and every lead still comes out (deterministic summary, lead unchanged) and
 * the breakers open; once both answer again, the breakers close after their cool-down and the
 * outputs carry the model's summary and the CRM account.
 */
class AdaptersITCase extends KafkaTestBase {

    private static final String MODEL_SUMMARY = "VP Customer Success at Northwind Traders: chat tool for 200 seats, "
            + "~$50k/yr, live next month. Next step: book the demo.";
    private static final String ACCOUNT = "{\"account_id\": \"acc-nw\", \"name\": \"Northwind Traders\", "
            + "\"domain\": \"northwind.example.com\", \"owner\": \"jordan.sales\"}";
    private static final Duration COOLDOWN = Duration.ofSeconds(4);
    private static final int SESSIONS = 4;

    @Test
    void aSlowOrDeadDependencyCostsNoHandoffAndNoLeadAndTheBreakersRecover() throws Exception {
        int crmPort;
        try (ServerSocket s = new ServerSocket(0)) {
            crmPort = s.getLocalPort(); // nothing listens here until phase 2: the CRM is down
        }
        try (RecordingHttpServer llm = RecordingHttpServer.start()) {
            llm.otherwise(r -> Reply.json(200, ChatCompletions.response(MODEL_SUMMARY)).after(3000)); // too slow
            Topics topics = freshTopics();
            Map<String, String> args = new HashMap<>();
            args.put("llm.url", llm.url());
            args.put("crm.url", "http://127.0.0.1:" + crmPort);
            for (String p : List.of("llm", "crm")) {
                args.put(p + ".timeout", "300 ms");
                args.put(p + ".backoff", "50 ms");
                args.put(p + ".breaker.cooldown", COOLDOWN.toMillis() + " ms");
                args.put(p + ".capacity", "1"); // one call in flight per instance: the breaker sees calls in order
            }
            args.put("llm.retries", "0");
            args.put("llm.breaker.failures", "1");
            args.put("crm.retries", "1");
            args.put("crm.breaker.failures", "2");
            JobSettings settings = settings(topics, args);

            JobClient job = LeadQualJobITCase.startJob(settings);
            JobOutputs out = outputs(topics);
            RecordingHttpServer crm = null;
            try (ChatProducer producer = new ChatProducer(infra.bootstrapServers(), new Properties(), settings.registry(), topics)) {
                // Phase 1: the LLM times out, the CRM refuses connections.
                List<String> down = sessions("down-");
                down.forEach(s -> LeadQualJobITCase.salesConversation(s, 0).forEach(producer::send));
                producer.flush();
                assertThat(out.awaitUntil(o -> closed(o, down) && handoffs(o, down).size() == SESSIONS, Duration.ofSeconds(120)))
                        .as("every session of phase 1 closed and handed off").isTrue();
                out.awaitUntil(o -> false, Duration.ofSeconds(3)); // late or duplicate records would show now

                assertThat(handoffs(out, down)).extracting(SalesHandoff::getSessionId).containsExactlyInAnyOrderElementsOf(down);
                assertThat(handoffs(out, down)).allSatisfy(h -> assertThat(h.getSummary()).startsWith("Who: ").isNotEqualTo(MODEL_SUMMARY));
                Map<String, Integer> versionsDown = leadVersions(out, down);
                assertThat(leads(out, down)).allSatisfy(l -> assertThat(l.getAccountId()).isNull());
                assertThat(sum(job.getJobID(), "llm", "breakerOpened")).as("LLM breaker opened").isPositive();
                assertThat(sum(job.getJobID(), "crm", "breakerOpened")).as("CRM breaker opened").isPositive();
                assertThat(sum(job.getJobID(), "crm", "shortCircuited")).as("CRM calls answered by the open breaker").isPositive();
                assertThat(sum(job.getJobID(), "llm", "shortCircuited")).as("LLM calls answered by the open breaker").isPositive();
                assertThat(llm.requests()).as("the open breaker spares the slow server").hasSizeLessThan(SESSIONS);
                assertThat(sum(job.getJobID(), "llm", "fallbacks")).isEqualTo(SESSIONS);

                // Phase 2: both answer again; after the cool-down a probe closes each breaker.
                llm.otherwise(r -> Reply.json(200, ChatCompletions.response(MODEL_SUMMARY)));
                crm = RecordingHttpServer.start(crmPort).otherwise(r -> Reply.json(200, ACCOUNT));
                Thread.sleep(COOLDOWN.plusMillis(500).toMillis()); // the cool-down is the behaviour under test
                List<String> up = sameInstances(down, "up-");
                up.forEach(s -> LeadQualJobITCase.salesConversation(s, 100).forEach(producer::send));
                producer.flush();
                assertThat(out.awaitUntil(o -> closed(o, up) && handoffs(o, up).size() == SESSIONS, Duration.ofSeconds(120)))
                        .as("every session of phase 2 closed and handed off").isTrue();
                out.awaitUntil(o -> false, Duration.ofSeconds(3));

                assertThat(handoffs(out, up)).extracting(SalesHandoff::getSessionId).containsExactlyInAnyOrderElementsOf(up);
                assertThat(handoffs(out, up)).allSatisfy(h -> assertThat(h.getSummary()).isEqualTo(MODEL_SUMMARY));
                assertThat(leads(out, up)).allSatisfy(l -> {
                    assertThat(l.getAccountId()).isEqualTo("acc-nw");
                    assertThat(l.getOwner()).isEqualTo("jordan.sales");
                });
                // The same conversations produce the same lead upserts, whether enriched or not.
                assertThat(leadVersions(out, up).values()).containsOnly(versionsDown.values().iterator().next());
                assertThat(versionsDown.values()).containsOnly(versionsDown.values().iterator().next());
                assertThat(gauges(job.getJobID(), "llm", "breakerState")).as("LLM breakers closed").containsOnly(0L);
                assertThat(gauges(job.getJobID(), "crm", "breakerState")).as("CRM breakers closed").containsOnly(0L);
                assertThat(crm.requests()).allSatisfy(r -> {
                    assertThat(r.path()).isEqualTo("/accounts");
                    assertThat(r.query()).matches("(domain=northwind\\.example\\.com|name=Northwind\\+Traders)&tenant=acme");
                });
                assertThat(llm.requests()).allSatisfy(r -> assertThat(r.body()).doesNotContain("dana.whitfield"));
                assertThat(job.getJobStatus().get()).as("the job never failed").hasToString("RUNNING");
                assertThat(gauges(job.getJobID(), null, "numRestarts")).as("and never restarted").containsOnly(0L);
            } finally {
                job.cancel().get();
                out.close();
                if (crm != null) {
                    crm.close();
                }
            }

            // Exactly once through the async stages: no duplicate upsert, no duplicate handoff.
            assertThat(out.leads).extracting(l -> l.getLeadId() + "#" + l.getLeadVersion()).doesNotHaveDuplicates();
            assertThat(out.handoffs).extracting(SalesHandoff::getHandoffId).doesNotHaveDuplicates();
        }
    }

    @Test
    void uncertainMessagesGetTheModelsSecondOpinionAndHandoffsSayWhereTheirSummaryCameFrom() throws Exception {
        try (RecordingHttpServer llm = RecordingHttpServer.start()) {
            // One endpoint for both uses, told apart by the instruction: intents as JSON, summaries as text.
            llm.otherwise(r -> r.body().contains("You classify")
                    ? Reply.json(200, ChatCompletions.response("{\"intent\": \"demo_request\"}"))
                    : Reply.json(200, ChatCompletions.response(MODEL_SUMMARY)));
            Topics topics = freshTopics();
            // Below 1.0: every visitor message the model is not certain about gets a second opinion.
            JobSettings settings = settings(topics, Map.of("llm.url", llm.url(), "llm.intent-below", "1.0"));

            JobClient job = LeadQualJobITCase.startJob(settings);
            JobOutputs out = outputs(topics);
            List<String> sessions = sessions("opinion-");
            try (ChatProducer producer = new ChatProducer(infra.bootstrapServers(), new Properties(), settings.registry(), topics)) {
                sessions.forEach(s -> LeadQualJobITCase.salesConversation(s, 0).forEach(producer::send));
                producer.flush();
                assertThat(out.awaitUntil(o -> closed(o, sessions) && handoffs(o, sessions).size() == SESSIONS, Duration.ofSeconds(120)))
                        .as("every session closed and handed off").isTrue();

                // The model said demo_request about the first message ("Hi, we're evaluating chat tools ...",
                // a greeting to the understanding model): the decision followed it at once.
                for (String s : sessions) {
                    NextAction first = out.actions.stream().filter(a -> a.getSessionId().equals(s))
                            .min(java.util.Comparator.comparing(NextAction::getDecidedAt)).orElseThrow();
                    assertThat(first.getAction()).as("first action of %s", s).isEqualTo(ActionType.HANDOFF_TO_SALES);
                    assertThat(first.getReason()).as("first action of %s", s).isEqualTo("demo_request");
                }
                assertThat(handoffs(out, sessions)).allSatisfy(h -> {
                    assertThat(h.getSummary()).isEqualTo(MODEL_SUMMARY);
                    assertThat(h.getSummarySource()).isEqualTo("llm");
                });
                List<RecordingHttpServer.Request> opinions = llm.requests().stream()
                        .filter(r -> r.body().contains("You classify")).toList();
                assertThat(opinions).isNotEmpty().allSatisfy(r -> assertThat(r.body()).doesNotContain("dana.whitfield"));
                assertThat(sum(job.getJobID(), "llm-intent", "successes")).isEqualTo(opinions.size());
                assertThat(job.getJobStatus().get()).hasToString("RUNNING");
            } finally {
                job.cancel().get();
                out.close();
            }
        }
    }

    private static List<String> sessions(String prefix) {
        return IntStream.range(0, SESSIONS).mapToObj(i -> prefix + i).toList();
    }

    /**
     * New session ids, each handled by the same parallel instance as its counterpart in
     * {@code like}: every instance whose breaker opened in phase 1 gets calls in phase 2.
     */
    private static List<String> sameInstances(List<String> like, String prefix) {
        return like.stream().map(s -> {
            int instance = KeyGroupRangeAssignment.assignKeyToParallelOperator(s, 128, PARALLELISM);
            for (int k = 0; ; k++) {
                String candidate = prefix + s + "-" + k;
                if (KeyGroupRangeAssignment.assignKeyToParallelOperator(candidate, 128, PARALLELISM) == instance) {
                    return candidate;
                }
            }
        }).toList();
    }

    private static boolean closed(JobOutputs o, List<String> sessions) {
        return o.outcomes.stream().map(SessionOutcome::getSessionId).collect(Collectors.toSet()).containsAll(sessions);
    }

    private static List<SalesHandoff> handoffs(JobOutputs o, List<String> sessions) {
        return o.handoffs.stream().filter(h -> sessions.contains(h.getSessionId())).toList();
    }

    private static List<QualifiedLead> leads(JobOutputs o, List<String> sessions) {
        return o.leads.stream().filter(l -> sessions.contains(l.getSessionId())).toList();
    }

    /** Per session the highest lead version, after checking the versions are 1..n with none missing or repeated. */
    private static Map<String, Integer> leadVersions(JobOutputs o, List<String> sessions) {
        Map<String, Integer> max = new TreeMap<>();
        for (String s : sessions) {
            List<Integer> versions = o.leads.stream().filter(l -> l.getSessionId().equals(s))
                    .map(QualifiedLead::getLeadVersion).sorted().toList();
            assertThat(versions).as("lead versions of %s", s).isNotEmpty()
                    .isEqualTo(IntStream.rangeClosed(1, versions.size()).boxed().toList());
            max.put(s, versions.size());
        }
        return max;
    }

    /** The sum over parallel instances of an adapter's counter or gauge (adapter null: any metric of that name). */
    private static long sum(JobID job, String adapter, String name) {
        return metrics(job, adapter, name).stream().mapToLong(AdaptersITCase::value).sum();
    }

    private static Set<Long> gauges(JobID job, String adapter, String name) {
        List<Metric> found = metrics(job, adapter, name);
        assertThat(found).as("%s.%s reported", adapter, name).isNotEmpty();
        return found.stream().map(AdaptersITCase::value).collect(Collectors.toSet());
    }

    /** The job's metrics called {@code name} of every instance (of the adapter's group, unless adapter is null). */
    private static List<Metric> metrics(JobID job, String adapter, String name) {
        List<Metric> found = new ArrayList<>();
        METRICS.getMetricsByGroup().forEach((group, byName) -> {
            Map<String, String> vars = group.getAllVariables();
            if (job.toString().equals(vars.get("<job_id>")) && byName.containsKey(name)
                    && (adapter == null || adapter.equals(vars.get("<adapter>")))) {
                found.add(byName.get(name));
            }
        });
        return found;
    }

    private static long value(Metric m) {
        if (m instanceof Counter c) {
            return c.getCount();
        }
        if (m instanceof Gauge<?> g && g.getValue() instanceof Number n) {
            return n.longValue();
        }
        throw new IllegalArgumentException("not a number: " + m);
    }

}
