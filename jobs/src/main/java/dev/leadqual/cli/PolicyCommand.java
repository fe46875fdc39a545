package dev.leadqual.cli;

import dev.leadqual.config.JobSettings;
import dev.leadqual.control.PolicyPublisher;
import dev.leadqual.schema.PolicyUpdateKind;
import dev.leadqual.udfs.qualify.Policy;
import dev.leadqual.udfs.qualify.PolicyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./leadqual policy}: validate and publish policies, and throw the kill switch, while the job runs. */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Manage the live qualification policy (versioned, on the control topic).",
        subcommands = {PolicyCommand.Validate.class, PolicyCommand.Publish.class, PolicyCommand.Active.class,
                PolicyCommand.KillSwitch.class})
public final class PolicyCommand {

    @Command(name = "validate", description = "Check a policy document (YAML or JSON) against the schema and rules.")
    static final class Validate implements Callable<Integer> {
        @Parameters(index = "0", description = "The policy file.")
        Path file;

        @Override
        public Integer call() throws Exception {
            try {
                Policy p = Policy.parse(Files.readString(file));
                System.out.printf("valid: version %s, tenants %s, %d rules%n", p.version(), p.tenantIds(), p.rules().size());
                return 0;
            } catch (PolicyException e) {
                System.err.println("invalid: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "publish", description = "Validate, show the diff against the active version, and publish to the control topic.")
    static final class Publish implements Callable<Integer> {
        @Parameters(index = "0", description = "The policy file.")
        Path file;

        @Mixin
        Connection connection;

        @Option(names = "--by", defaultValue = "${env:USER}", description = "Who publishes (recorded).")
        String by;

        @Override
        public Integer call() throws Exception {
            Policy candidate;
            String document = Files.readString(file);
            try {
                candidate = Policy.parse(document);
            } catch (PolicyException e) {
                System.err.println("invalid, not published: " + e.getMessage());
                return 1;
            }
            JobSettings settings = connection.settings();
            try (PolicyPublisher publisher = new PolicyPublisher(settings)) {
                Optional<Policy> active = publisher.active();
                System.out.println("active: " + active.map(Policy::version).orElse("(none published; the job's built-in policy)"));
                List<String> diff = candidate.diff(active.orElse(Policy.defaults()));
                System.out.println(diff.isEmpty() ? "no changes" : "changes:");
                diff.forEach(d -> System.out.println("  " + d));
                publisher.publish(PolicyUpdateKind.POLICY, null, candidate.version(), document, by);
                System.out.println("published: " + candidate.version());
            }
            return 0;
        }
    }

    @Command(name = "active", description = "Print the version of the active (last published) policy.")
    static final class Active implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Override
        public Integer call() throws Exception {
            try (PolicyPublisher publisher = new PolicyPublisher(connection.settings())) {
                System.out.println(publisher.active().map(Policy::version).orElse("(none published)"));
            }
            return 0;
        }
    }

    @Command(name = "kill-switch", description = "Stop (on) or resume (off) automated questions and handoffs: sessions go to the human queue.")
    static final class KillSwitch implements Callable<Integer> {
        @Parameters(index = "0", description = "on or off")
        String state;

        @Option(names = "--tenant", description = "Only this tenant (default: every tenant).")
        String tenant;

        @Mixin
        Connection connection;

        @Option(names = "--by", defaultValue = "${env:USER}", description = "Who throws it (recorded).")
        String by;

        @Override
        public Integer call() throws Exception {
            boolean on = switch (state.toLowerCase(java.util.Locale.ROOT)) {
                case "on" -> true;
                case "off" -> false;
                default -> throw new IllegalArgumentException("kill-switch takes on or off");
            };
            try (PolicyPublisher publisher = new PolicyPublisher(connection.settings())) {
                publisher.publish(on ? PolicyUpdateKind.KILL_SWITCH_ON : PolicyUpdateKind.KILL_SWITCH_OFF, tenant, "", "", by);
            }
            System.out.println("kill switch " + (on ? "ON" : "OFF") + " for " + (tenant == null ? "every tenant" : "tenant " + tenant));
            return 0;
        }
    }
}
