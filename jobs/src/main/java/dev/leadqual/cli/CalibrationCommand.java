package dev.leadqual.cli;

import dev.leadqual.config.JobSettings;
import dev.leadqual.control.Calibration;
import dev.leadqual.io.OutputReader;
import dev.leadqual.schema.SessionOutcome;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./leadqual calibration}: win rate by score bucket, from the warehouse outcomes topic. */
@Command(name = "calibration", mixinStandardHelpOptions = true,
        description = "Print win rate by lead-score bucket from the sales outcomes joined back to leads (warehouse.session_outcomes).")
public final class CalibrationCommand implements Callable<Integer> {

    @Mixin
    Connection connection;

    @Option(names = "--bucket", defaultValue = "20", description = "Bucket width in score points (default: ${DEFAULT-VALUE}).")
    int bucket;

    @Option(names = "--idle", defaultValue = "5s", description = "Stop reading after this long without new records.")
    String idle;

    @Override
    public Integer call() {
        JobSettings s = connection.settings();
        Calibration calibration = new Calibration(bucket);
        long idleMs = org.apache.flink.util.TimeUtils.parseDuration(idle).toMillis();
        try (OutputReader reader = new OutputReader(s.bootstrapServers(), s.kafkaClientProperties(), s.registry(),
                Map.of(s.topics().sessionOutcomes(), SessionOutcome.class))) {
            long last = System.currentTimeMillis();
            while (System.currentTimeMillis() - last < idleMs) {
                var batch = reader.poll(Duration.ofMillis(500));
                if (!batch.isEmpty()) {
                    last = System.currentTimeMillis();
                }
                batch.forEach(r -> calibration.add((SessionOutcome) r.value()));
            }
        }
        calibration.print(System.out);
        return 0;
    }
}
