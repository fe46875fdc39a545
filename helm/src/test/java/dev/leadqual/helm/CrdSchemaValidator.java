package dev.leadqual.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a custom resource against the structural OpenAPI v3 schema of its CRD, the way the
 * Kubernetes API server reads it, but strictly: a field the schema does not declare is an error
 * (the API server would silently prune it, so a misspelt field would just be ignored), and so is
 * a wrong type or a value outside an enum. Handles what the operator's generated CRDs use:
 * {@code properties}, {@code additionalProperties}, {@code items}, {@code enum}, {@code type},
 * {@code x-kubernetes-int-or-string} and {@code x-kubernetes-preserve-unknown-fields}.
 */
final class CrdSchemaValidator {

    private final JsonNode schema;

    private CrdSchemaValidator(JsonNode schema) {
        this.schema = schema;
    }

    /**
     * The schema of one version of a CRD read from the classpath, e.g. the one the operator-api
     * jar ships in {@code META-INF/fabric8/}.
     */
    static CrdSchemaValidator fromClasspath(String resource, String version) {
        try (InputStream in = CrdSchemaValidator.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("CRD not on the classpath: " + resource);
            }
            JsonNode crd = new YAMLMapper().readTree(in);
            for (JsonNode v : crd.path("spec").path("versions")) {
                if (version.equals(v.path("name").asText())) {
                    return new CrdSchemaValidator(v.path("schema").path("openAPIV3Schema").deepCopy());
                }
            }
            throw new IllegalStateException("no version " + version + " in " + resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema node at a dotted path of property names, e.g. {@code spec.flinkVersion}. */
    JsonNode schemaAt(String dottedPath) {
        JsonNode node = schema;
        for (String name : dottedPath.split("\\.")) {
            node = node.path("properties").path(name);
        }
        if (node.isMissingNode()) {
            throw new IllegalArgumentException("no schema at " + dottedPath);
        }
        return node;
    }

    /** Adds values to the enum at a dotted path (for values newer operator releases accept). */
    CrdSchemaValidator withEnumValues(String dottedPath, List<String> extra) {
        JsonNode copy = schema.deepCopy();
        CrdSchemaValidator widened = new CrdSchemaValidator(copy);
        ArrayNode values = (ArrayNode) widened.schemaAt(dottedPath).path("enum");
        extra.forEach(values::add);
        return widened;
    }

    /** Every violation, each as "path: problem"; empty when the document conforms. */
    List<String> validate(JsonNode document) {
        List<String> errors = new ArrayList<>();
        if (!document.isObject()) {
            errors.add(": expected object, got " + document.getNodeType());
            return errors;
        }
        // apiVersion, kind and metadata are every object's; the API server checks them itself.
        ObjectNode body = document.deepCopy();
        body.remove(List.of("apiVersion", "kind", "metadata"));
        check(body, schema, "", errors);
        return errors;
    }

    private static void check(JsonNode value, JsonNode schema, String path, List<String> errors) {
        if (value == null || value.isNull()) {
            return; // the API server drops nulls for fields that are not nullable
        }
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            if (!value.isIntegralNumber() && !value.isTextual()) {
                errors.add(path + ": expected integer or string, got " + value.getNodeType());
            }
            return;
        }
        String type = schema.path("type").asText("");
        JsonNode enumValues = schema.get("enum");
        if (enumValues != null && !contains(enumValues, value)) {
            errors.add(path + ": " + value + " is not one of " + enumValues);
        }
        switch (type) {
            case "object" -> checkObject(value, schema, path, errors);
            case "array" -> {
                if (!value.isArray()) {
                    errors.add(path + ": expected array, got " + value.getNodeType());
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    check(value.get(i), schema.path("items"), path + "[" + i + "]", errors);
                }
            }
            case "string" -> expect(value.isTextual(), "string", value, path, errors);
            case "integer" -> expect(value.isIntegralNumber(), "integer", value, path, errors);
            case "number" -> expect(value.isNumber(), "number", value, path, errors);
            case "boolean" -> expect(value.isBoolean(), "boolean", value, path, errors);
            case "" -> {
                // untyped: anything goes
            }
            default -> errors.add(path + ": schema type " + type + " not understood");
        }
    }

    private static void checkObject(JsonNode value, JsonNode schema, String path, List<String> errors) {
        if (!value.isObject()) {
            errors.add(path + ": expected object, got " + value.getNodeType());
            return;
        }
        JsonNode properties = schema.get("properties");
        JsonNode additional = schema.get("additionalProperties");
        boolean preserveUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            if (properties != null && properties.has(field.getKey())) {
                check(field.getValue(), properties.get(field.getKey()), fieldPath, errors);
            } else if (additional != null && additional.isObject()) {
                check(field.getValue(), additional, fieldPath, errors);
            } else if (properties != null && !preserveUnknown) {
                errors.add(fieldPath + ": unknown field (not in the CRD schema)");
            }
            // an object without declared properties (e.g. metadata at the root) accepts anything
        }
    }

    private static void expect(boolean ok, String type, JsonNode value, String path, List<String> errors) {
        if (!ok) {
            errors.add(path + ": expected " + type + ", got " + value.getNodeType() + " " + value);
        }
    }

    private static boolean contains(JsonNode enumValues, JsonNode value) {
        for (JsonNode allowed : enumValues) {
            if (allowed.equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** Helper for tests that break a rendered document on purpose. */
    static ObjectNode objectAt(JsonNode root, String dottedPath) {
        JsonNode node = root;
        for (String name : dottedPath.split("\\.")) {
            node = node.path(name);
        }
        return (ObjectNode) node;
    }
}
