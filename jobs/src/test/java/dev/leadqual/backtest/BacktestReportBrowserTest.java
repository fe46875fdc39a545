package dev.leadqual.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.util.FileUtils;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * report.html of a real backtest ({@link BacktestRun}) rendered by headless Chromium (Debian's
 * {@code chromium}, installed by {@code .ci/run}): the script ran without error and drew every chart
 * from the embedded data — one bar per policy and category with the summary's value and a length in
 * proportion to it, one calibration point per bucket with closed deals — and the changed sessions.
 * Without Chromium the test is skipped with a message, except on CI ({@code CI=true}), where it fails.
 */
class BacktestReportBrowserTest {

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("LEADQUAL_CHROMIUM", "/usr/bin/chromium"));
    private static final Pattern SVG = Pattern.compile("<svg[^>]*data-chart=\"(\\w+)\"[^>]*>(.*?)</svg>", Pattern.DOTALL);
    private static final Pattern ELEMENT = Pattern.compile("<(rect|circle)\\b([^>]*)>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([\\w-]+)=\"([^\"]*)\"");

    private static final String SKIPPED = "BacktestReportBrowserTest skipped: no Chromium at " + CHROMIUM
            + " (apt-get install chromium, or set LEADQUAL_CHROMIUM); with CI=true it fails instead";

    private static BacktestRun run;
    private static String dom;
    private static Map<String, String> charts;

    @BeforeAll
    static void render() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(CHROMIUM + " is missing: CI must install Debian's chromium package (.ci/run does)");
            }
            System.err.println(SKIPPED);
            return;
        }
        run = BacktestRun.get();
        dom = dumpDom(run.report("report.html"));
        charts = new HashMap<>();
        Matcher m = SVG.matcher(dom);
        while (m.find()) {
            charts.put(m.group(1), m.group(2));
        }
    }

    @BeforeEach
    void needsChromium() {
        Assumptions.assumeTrue(dom != null, SKIPPED);
    }

    @Test
    void scriptRanWithoutError() {
        Matcher body = Pattern.compile("<body[^>]*>").matcher(dom);
        assertThat(body.find()).isTrue();
        assertThat(body.group()).contains("data-rendered=\"true\"").doesNotContain("data-error");
        assertThat(charts).containsOnlyKeys("funnel", "scores", "ttq", "calibration");
    }

    @Test
    void funnelHasABarPerStageAndPolicyAsLongAsItsCount() {
        List<String> stages = new ArrayList<>();
        run.policy("baseline").get("funnel").forEach(s -> stages.add(s.get("stage").asText()));
        assertThat(stages).containsExactly("sessions", "sales_signal", "qualified", "handoff", "meeting", "won");
        List<Map<String, String>> bars = elements("funnel", "rect", "bar");
        assertThat(bars).hasSize(2 * stages.size());
        for (String role : List.of("baseline", "candidate")) {
            JsonNode funnel = run.policy(role).get("funnel");
            for (int i = 0; i < stages.size(); i++) {
                Map<String, String> bar = bar(bars, role, stages.get(i));
                assertThat(Double.parseDouble(bar.get("data-value"))).isEqualTo(funnel.get(i).get("count").asDouble());
            }
        }
        assertProportional(bars, "width");
    }

    @Test
    void scoreDistributionAndTimeToQualificationHaveABarPerBucketAndPolicy() {
        check("scores", "score_buckets", "score_distribution");
        check("ttq", "time_to_qualification_bins", "time_to_qualification_histogram");
    }

    @Test
    void calibrationHasAPointPerBucketWithClosedDeals() {
        List<Map<String, String>> points = elements("calibration", "circle", "point");
        int expected = 0;
        for (String role : List.of("baseline", "candidate")) {
            for (JsonNode row : run.policy(role).at("/outcomes/calibration")) {
                if (!row.get("win_rate").isNull()) {
                    expected++;
                    Map<String, String> p = points.stream()
                            .filter(x -> role.equals(x.get("data-series")) && row.get("bucket").asText().equals(x.get("data-key")))
                            .findFirst().orElseThrow(() -> new AssertionError("no point for " + role + " " + row));
                    assertThat(Double.parseDouble(p.get("data-value"))).isEqualTo(row.get("win_rate").asDouble());
                }
            }
        }
        assertThat(expected).isPositive();
        assertThat(points).hasSize(expected);
        // a higher win rate is drawn higher (smaller y)
        points.sort((a, b) -> Double.compare(Double.parseDouble(a.get("data-value")), Double.parseDouble(b.get("data-value"))));
        for (int i = 1; i < points.size(); i++) {
            if (!points.get(i).get("data-value").equals(points.get(i - 1).get("data-value"))) {
                assertThat(Double.parseDouble(points.get(i).get("cy"))).isLessThan(Double.parseDouble(points.get(i - 1).get("cy")));
            }
        }
    }

    @Test
    void listsTheTopChangedSessions() {
        String[] rows = dom.split("<tr class=\"changed\">", -1);
        assertThat(rows.length - 1).isEqualTo(Math.min(25, run.diff.size())).isPositive();
        JsonNode first = run.diff.get(0);
        assertThat(rows[1]).contains(first.get("session_id").asText(), "Handoff",
                first.at("/difference/rule/baseline").asText() + " → " + first.at("/difference/rule/candidate").asText());
    }

    /** Vertical bar chart {@code chart}: a bar per (policy, category) with the summary's value, heights in proportion. */
    private static void check(String chart, String categoriesField, String valuesField) {
        List<String> categories = new ArrayList<>();
        run.summary.get(categoriesField).forEach(c -> categories.add(c.asText()));
        List<Map<String, String>> bars = elements(chart, "rect", "bar");
        assertThat(bars).as(chart).hasSize(2 * categories.size());
        for (String role : List.of("baseline", "candidate")) {
            JsonNode values = run.policy(role).get(valuesField);
            for (int i = 0; i < categories.size(); i++) {
                assertThat(Double.parseDouble(bar(bars, role, categories.get(i)).get("data-value")))
                        .as("%s %s %s", chart, role, categories.get(i)).isEqualTo(values.get(i).asDouble());
            }
        }
        assertProportional(bars, "height");
    }

    /** Every bar's {@code size} attribute is its value times one common factor (zero for zero). */
    private static void assertProportional(List<Map<String, String>> bars, String size) {
        double max = bars.stream().mapToDouble(b -> Double.parseDouble(b.get("data-value"))).max().orElse(0);
        assertThat(max).isPositive();
        Map<String, String> longest = bars.stream()
                .filter(b -> Double.parseDouble(b.get("data-value")) == max).findFirst().orElseThrow();
        double perUnit = Double.parseDouble(longest.get(size)) / max;
        assertThat(perUnit).isPositive();
        for (Map<String, String> b : bars) {
            assertThat(Double.parseDouble(b.get(size)))
                    .as("%s of %s/%s", size, b.get("data-series"), b.get("data-key"))
                    .isCloseTo(Double.parseDouble(b.get("data-value")) * perUnit, within(0.05));
        }
    }

    private static Map<String, String> bar(List<Map<String, String>> bars, String role, String key) {
        return bars.stream().filter(b -> role.equals(b.get("data-series")) && key.equals(b.get("data-key"))).findFirst()
                .orElseThrow(() -> new AssertionError("no bar for " + role + " " + key));
    }

    /** The {@code tag} elements of class {@code cls} in chart {@code chart}, as attribute maps. */
    private static List<Map<String, String>> elements(String chart, String tag, String cls) {
        List<Map<String, String>> out = new ArrayList<>();
        Matcher m = ELEMENT.matcher(charts.getOrDefault(chart, ""));
        while (m.find()) {
            if (!m.group(1).equals(tag)) {
                continue;
            }
            Map<String, String> attrs = new HashMap<>();
            Matcher a = ATTRIBUTE.matcher(m.group(2));
            while (a.find()) {
                attrs.put(a.group(1), unescape(a.group(2)));
            }
            if (cls.equals(attrs.get("class"))) {
                out.add(attrs);
            }
        }
        return out;
    }

    /** An attribute value as serialised by Chromium (which escapes {@code & < > "}). */
    private static String unescape(String v) {
        return v.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    }

    /** The DOM after the page's scripts ran, from headless Chromium with a fresh profile and no network. */
    private static String dumpDom(Path page) throws Exception {
        Path profile = Files.createTempDirectory("leadqual-chromium-");
        try {
            Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + profile, "--dump-dom", page.toUri().toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
                try (InputStream in = p.getInputStream()) {
                    return in.readAllBytes();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("chromium did not finish within 120 s");
            }
            assertThat(p.exitValue()).as("chromium exit code").isZero();
            return new String(out.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        } finally {
            FileUtils.deleteDirectoryQuietly(profile.toFile());
        }
    }
}
