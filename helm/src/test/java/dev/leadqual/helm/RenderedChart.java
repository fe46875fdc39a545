package dev.leadqual.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/** The chart rendered by real Helm ({@code helm template}) and parsed into YAML trees. */
final class RenderedChart {

    /** The chart, relative to the module directory surefire runs in. */
    static final Path CHART = Path.of("leadqual").toAbsolutePath();

    static final String RELEASE = "leadqual";
    static final String NAMESPACE = "streaming";

    private static final YAMLMapper YAML = new YAMLMapper();

    final String text;
    final List<JsonNode> documents;

    private RenderedChart(String text, List<JsonNode> documents) {
        this.text = text;
        this.documents = documents;
    }

    /** Renders with the chart's values.yaml plus {@code --set}-style overrides, in order. */
    static RenderedChart render(Map<String, Object> overrides) {
        if (!Files.isRegularFile(CHART.resolve("Chart.yaml"))) {
            throw new IllegalStateException("chart not found at " + CHART + " (run from helm/)");
        }
        TemplateCommand template =
                new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE);
        overrides.forEach(template::set);
        String text = template.call();
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    documents.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("helm rendered unparsable YAML:\n" + text, e);
        }
        return new RenderedChart(text, documents);
    }

    static RenderedChart render() {
        return render(Map.of());
    }

    /** Overrides in the order given (helm applies --set flags left to right). */
    static Map<String, Object> set(Object... keysAndValues) {
        Map<String, Object> overrides = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            overrides.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return overrides;
    }

    List<JsonNode> ofKind(String kind) {
        return documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    Optional<JsonNode> find(String kind) {
        List<JsonNode> found = ofKind(kind);
        if (found.size() > 1) {
            throw new IllegalStateException("more than one " + kind);
        }
        return found.stream().findFirst();
    }

    JsonNode get(String kind) {
        return find(kind).orElseThrow(() -> new NoSuchElementException("no " + kind + " in:\n" + text));
    }

    JsonNode flinkDeployment() {
        return get("FlinkDeployment");
    }

    /** The env entries of the flink-main-container in the FlinkDeployment's pod template, by name. */
    Map<String, JsonNode> env() {
        Map<String, JsonNode> env = new LinkedHashMap<>();
        for (JsonNode container : flinkDeployment().path("spec").path("podTemplate").path("spec").path("containers")) {
            if ("flink-main-container".equals(container.path("name").asText())) {
                container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
            }
        }
        return env;
    }

    static YAMLMapper yaml() {
        return YAML;
    }
}
