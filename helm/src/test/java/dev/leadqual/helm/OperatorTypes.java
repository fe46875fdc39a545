package dev.leadqual.helm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.FlinkVersion;

/**
 * Validation of a rendered FlinkDeployment against the Flink Kubernetes Operator's own API: the
 * Java types of {@code flink-kubernetes-operator-api} and the CRD schema that jar ships.
 *
 * <p>The newest operator-api on the Maven Central copy this build reaches is 1.10.0 (1.11 to 1.13
 * are absent). Its types and CRD match the fields of 1.12/1.13 that the chart uses, except that
 * its {@code FlinkVersion} enum stops at {@code v1_20}: later operators added {@code v2_0}
 * (1.11), {@code v2_1} (1.13) and {@code v2_2}. Those are accepted here and, for the typed
 * check only, mapped to the newest constant the jar knows.
 */
final class OperatorTypes {

    /** flinkVersion values of operator releases newer than the API jar on the classpath. */
    static final List<String> NEWER_FLINK_VERSIONS = List.of("v2_0", "v2_1", "v2_2");

    static final CrdSchemaValidator CRD =
            CrdSchemaValidator.fromClasspath(
                            "META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml", "v1beta1")
                    .withEnumValues("spec.flinkVersion", NEWER_FLINK_VERSIONS);

    /**
     * Strict: unknown properties fail. The operator's spec classes are annotated
     * {@code @JsonIgnoreProperties(ignoreUnknown = true)}, which would win over
     * FAIL_ON_UNKNOWN_PROPERTIES, so that annotation attribute is switched off for them.
     */
    private static final ObjectMapper STRICT =
            JsonMapper.builder()
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                    .annotationIntrospector(new StrictOperatorIntrospector())
                    .build();

    private OperatorTypes() {}

    /** Deserializes into the operator's type; throws on any field the type does not have. */
    static FlinkDeployment toFlinkDeployment(JsonNode rendered) throws Exception {
        ObjectNode copy = rendered.deepCopy();
        JsonNode spec = copy.path("spec");
        if (spec.isObject() && NEWER_FLINK_VERSIONS.contains(spec.path("flinkVersion").asText())) {
            ((ObjectNode) spec).put("flinkVersion", FlinkVersion.current().name());
        }
        return STRICT.treeToValue(copy, FlinkDeployment.class);
    }

    private static final class StrictOperatorIntrospector extends JacksonAnnotationIntrospector {
        @Override
        public JsonIgnoreProperties.Value findPropertyIgnoralByName(MapperConfig<?> config, Annotated a) {
            JsonIgnoreProperties.Value value = super.findPropertyIgnoralByName(config, a);
            if (a.getRawType().getName().startsWith("org.apache.flink.kubernetes.operator.api.")) {
                return value.withoutIgnoreUnknown();
            }
            return value;
        }
    }
}
