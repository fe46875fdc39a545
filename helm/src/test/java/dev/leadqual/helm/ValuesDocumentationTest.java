package dev.leadqual.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every value is documented: a comment right above it in values.yaml, a row in README.md. */
class ValuesDocumentationTest {

    private static final Path VALUES = RenderedChart.CHART.resolve("values.yaml");
    private static final Path README = RenderedChart.CHART.resolve("README.md");

    /** A mapping key at the start of a line (not a list item, not inside a block scalar). */
    private static final Pattern KEY = Pattern.compile("^(\\s*)([A-Za-z0-9_.\\-/]+):(\\s.*)?$");

    @Test
    void everyKeyInValuesYamlHasACommentRightAboveIt() throws Exception {
        List<String> lines = Files.readAllLines(VALUES);
        List<String> undocumented = new ArrayList<>();
        int keys = 0;
        for (int i = 0; i < lines.size(); i++) {
            Matcher key = KEY.matcher(lines.get(i));
            if (!key.matches()) {
                continue;
            }
            keys++;
            String above = i == 0 ? "" : lines.get(i - 1).trim();
            if (!above.startsWith("#") || above.replace("#", "").isBlank()) {
                undocumented.add((i + 1) + ": " + key.group(2));
            }
        }
        assertThat(keys).as("keys found in values.yaml").isGreaterThan(40);
        assertThat(undocumented).as("keys in values.yaml without a comment line above").isEmpty();
    }

    @Test
    void everyLeafValueHasARowInTheReadmeTable() throws Exception {
        String readme = Files.readString(README);
        List<String> missing = new ArrayList<>();
        for (String path : leafPaths(RenderedChart.yaml().readTree(VALUES.toFile()), "")) {
            if (!readme.contains("| `" + path + "` |")) {
                missing.add(path);
            }
        }
        assertThat(missing).as("values without a `| `path` |` row in README.md").isEmpty();
    }

    /** Dotted paths of the leaves; a map or list left empty by default counts as one leaf. */
    static List<String> leafPaths(JsonNode node, String prefix) {
        List<String> paths = new ArrayList<>();
        if (node.isObject() && !node.isEmpty()) {
            for (var it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                paths.addAll(leafPaths(field.getValue(), prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey()));
            }
        } else {
            paths.add(prefix);
        }
        return paths;
    }
}
