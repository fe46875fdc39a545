package dev.leadqual.backtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * report.html: one self-contained page (inline CSS, a small vanilla script that draws the charts as
 * SVG, no network) with the summary and the top changed sessions embedded as JSON. The template is
 * {@code report.html} next to this class.
 */
public final class ReportPage {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PLACEHOLDER = "__BACKTEST_DATA__";

    private ReportPage() {}

    /** The page for {@code summary} (summary.json) and the top changed sessions (diff.jsonl lines). */
    public static String render(ObjectNode summary, List<ObjectNode> topChanges) {
        ObjectNode data = JSON.createObjectNode();
        data.set("summary", summary);
        data.putArray("top").addAll(topChanges);
        String json;
        try {
            json = JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // Inside <script>: no "</" (it could end the element) and no "<!--".
        json = json.replace("</", "<\\/").replace("<!--", "<\\u0021--");
        return template().replace(PLACEHOLDER, json);
    }

    private static String template() {
        try (InputStream in = ReportPage.class.getResourceAsStream("report.html")) {
            if (in == null) {
                throw new IllegalStateException("report.html template missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
