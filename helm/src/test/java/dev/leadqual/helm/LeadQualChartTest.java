package dev.leadqual.helm;

import static dev.leadqual.helm.RenderedChart.render;
import static dev.leadqual.helm.RenderedChart.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.util.Map;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.FlinkDeploymentSpec;
import org.apache.flink.kubernetes.operator.api.spec.JobState;
import org.apache.flink.kubernetes.operator.api.spec.UpgradeMode;
import org.junit.jupiter.api.Test;

/** The chart rendered with real Helm and checked against the Flink Kubernetes Operator's API. */
class LeadQualChartTest {

    @Test
    void lintsCleanInStrictMode() {
        LintResult result = new Helm(RenderedChart.CHART).lint().strict().call();

        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
    }

    @Test
    void rendersOnlyTheExpectedResourcesByDefault() {
        RenderedChart chart = render();

        assertThat(chart.documents)
                .extracting(d -> d.path("kind").asText())
                .containsExactlyInAnyOrder("ConfigMap", "FlinkDeployment");
    }

    @Test
    void defaultFlinkDeploymentConformsToTheOperatorCrdAndTypes() throws Exception {
        JsonNode rendered = render().flinkDeployment();

        assertThat(OperatorTypes.CRD.validate(rendered)).isEmpty();
        FlinkDeployment deployment = OperatorTypes.toFlinkDeployment(rendered);

        assertThat(deployment.getApiVersion()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(deployment.getMetadata().getName()).isEqualTo("leadqual");
        assertThat(rendered.at("/spec/flinkVersion").asText()).isEqualTo("v2_2");
        FlinkDeploymentSpec spec = deployment.getSpec();
        assertThat(spec.getServiceAccount()).isEqualTo("flink");
        assertThat(spec.getImage()).isEqualTo("ghcr.io/leadqual/leadqual:0.1.0");
        assertThat(spec.getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(spec.getJob().getJarURI()).isEqualTo("local:///opt/flink/usrlib/leadqual-jobs.jar");
        assertThat(spec.getJob().getEntryClass()).isEqualTo("dev.leadqual.LeadQualJob");
        assertThat(spec.getJob().getUpgradeMode()).isEqualTo(UpgradeMode.SAVEPOINT);
        assertThat(spec.getJob().getState()).isEqualTo(JobState.RUNNING);
        assertThat(spec.getJob().getAllowNonRestoredState()).isFalse();
        assertThat(spec.getJob().getParallelism()).isEqualTo(2);
        assertThat(spec.getJob().getSavepointTriggerNonce()).isNull();
        assertThat(spec.getJob().getInitialSavepointPath()).isNull();
        assertThat(spec.getJobManager().getReplicas()).isEqualTo(1);
        assertThat(spec.getTaskManager().getReplicas()).isNull();

        Map<String, String> conf = spec.getFlinkConfiguration();
        assertThat(conf)
                .containsEntry("high-availability.type", "kubernetes")
                .containsEntry("state.backend.type", "rocksdb")
                .containsEntry("execution.checkpointing.incremental", "true")
                .containsEntry("execution.checkpointing.mode", "EXACTLY_ONCE")
                .containsEntry("execution.checkpointing.interval", "30s")
                .containsEntry("pipeline.auto-generate-uids", "false")
                .containsEntry("pipeline.max-parallelism", "128")
                .containsEntry("kubernetes.operator.periodic.savepoint.interval", "6h")
                .containsEntry("kubernetes.operator.savepoint.history.max.age", "72h")
                .containsEntry("kubernetes.operator.savepoint.history.max.count", "10")
                .containsEntry(
                        "metrics.reporter.prom.factory.class",
                        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
                .containsEntry("metrics.reporter.prom.port", "9249");
        assertThat(conf.get("high-availability.storageDir")).isNotBlank();
        assertThat(conf.get("execution.checkpointing.dir")).isNotBlank();
        assertThat(conf.get("execution.checkpointing.savepoint-dir")).isNotBlank();
        assertThat(conf.get("execution.checkpointing.dir"))
                .isNotEqualTo(conf.get("execution.checkpointing.savepoint-dir"));
        // Flink 1.x key names would be ignored by Flink 2.
        assertThat(conf).doesNotContainKeys(
                "state.checkpoints.dir", "state.savepoints.dir", "state.backend.incremental", "high-availability");

        var pod = spec.getPodTemplate();
        assertThat(pod.getMetadata().getAnnotations())
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", "9249");
        var container = pod.getSpec().getContainers().get(0);
        assertThat(container.getName()).isEqualTo("flink-main-container");
        assertThat(container.getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(9249));
    }

    @Test
    void resourcesParallelismAndJobFieldsFollowValueOverrides() throws Exception {
        RenderedChart chart = render(set(
                "image.tag", "1.4.2",
                "image.pullPolicy", "Always",
                "jobManager.replicas", "2",
                "jobManager.resources.memory", "3g",
                "jobManager.resources.cpu", "0.5",
                "taskManager.replicas", "3",
                "taskManager.resources.memory", "8g",
                "taskManager.resources.cpu", "4",
                "job.parallelism", "6",
                "job.args[0]", "--tenant-filter",
                "job.args[1]", "acme",
                "job.savepointTriggerNonce", "1732406400123",
                "job.initialSavepointPath", "s3://leadqual-flink/savepoints/savepoint-4f2a1c-0123456789ab",
                "flinkConfiguration.pipeline\\.max-parallelism", "256",
                "flinkConfiguration.execution\\.checkpointing\\.interval", "1min"));
        JsonNode rendered = chart.flinkDeployment();

        assertThat(OperatorTypes.CRD.validate(rendered)).isEmpty();
        FlinkDeploymentSpec spec = OperatorTypes.toFlinkDeployment(rendered).getSpec();
        assertThat(spec.getImage()).isEqualTo("ghcr.io/leadqual/leadqual:1.4.2");
        assertThat(spec.getImagePullPolicy()).isEqualTo("Always");
        assertThat(spec.getJobManager().getReplicas()).isEqualTo(2);
        assertThat(spec.getJobManager().getResource().getMemory()).isEqualTo("3g");
        assertThat(spec.getJobManager().getResource().getCpu()).isEqualTo(0.5);
        assertThat(spec.getTaskManager().getReplicas()).isEqualTo(3);
        assertThat(spec.getTaskManager().getResource().getMemory()).isEqualTo("8g");
        assertThat(spec.getTaskManager().getResource().getCpu()).isEqualTo(4.0);
        assertThat(spec.getJob().getParallelism()).isEqualTo(6);
        assertThat(spec.getJob().getArgs()).containsExactly("--tenant-filter", "acme");
        assertThat(spec.getJob().getSavepointTriggerNonce()).isEqualTo(1732406400123L);
        assertThat(spec.getJob().getInitialSavepointPath())
                .isEqualTo("s3://leadqual-flink/savepoints/savepoint-4f2a1c-0123456789ab");
        assertThat(spec.getJob().getUpgradeMode()).isEqualTo(UpgradeMode.SAVEPOINT);
        assertThat(spec.getFlinkConfiguration())
                .containsEntry("pipeline.max-parallelism", "256")
                .containsEntry("execution.checkpointing.interval", "1min")
                .containsEntry("state.backend.type", "rocksdb");
    }

    @Test
    void configMapHoldsTheSameFlinkConfigurationAsTheDeployment() throws Exception {
        RenderedChart chart = render(set("flinkConfiguration.execution\\.checkpointing\\.interval", "45s"));
        JsonNode configMap = chart.get("ConfigMap");
        JsonNode deploymentConf = chart.flinkDeployment().at("/spec/flinkConfiguration");

        JsonNode configYaml = RenderedChart.yaml().readTree(configMap.at("/data/config.yaml").asText());

        assertThat(configYaml).isEqualTo(deploymentConf);
        assertThat(configYaml.path("execution.checkpointing.interval").asText()).isEqualTo("45s");
        assertThat(configYaml.path("execution.checkpointing.savepoint-dir").asText()).startsWith("s3://");
        // The pods mount it.
        JsonNode podSpec = chart.flinkDeployment().at("/spec/podTemplate/spec");
        assertThat(podSpec.at("/volumes/0/configMap/name").asText())
                .isEqualTo(configMap.at("/metadata/name").asText());
    }

    @Test
    void withoutCredentialsNoSecretExistsAndOnlyEndpointsArePassed() {
        RenderedChart chart = render(set(
                "kafka.bootstrapServers", "broker-0.kafka:9093,broker-1.kafka:9093",
                "registry.url", "https://registry.example.com"));

        assertThat(chart.find("Secret")).isEmpty();
        Map<String, JsonNode> env = chart.env();
        assertThat(env.get("LEADQUAL_KAFKA_BOOTSTRAP").path("value").asText())
                .isEqualTo("broker-0.kafka:9093,broker-1.kafka:9093");
        assertThat(env.get("LEADQUAL_REGISTRY_URL").path("value").asText())
                .isEqualTo("https://registry.example.com");
        assertThat(env).doesNotContainKeys(
                "LEADQUAL_KAFKA_PROPERTIES", "LEADQUAL_REGISTRY_USER", "LEADQUAL_REGISTRY_PASSWORD");
    }

    @Test
    void inlineCredentialsCreateASecretThatTheEnvironmentReferences() {
        String kafkaProperties = "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n";
        RenderedChart chart = render(set(
                "credentials.kafkaProperties", kafkaProperties,
                "credentials.registryUser", "leadqual",
                "credentials.registryPassword", "s3cr3t,with=odd:chars"));

        JsonNode secret = chart.get("Secret");
        String secretName = secret.at("/metadata/name").asText();
        assertThat(secretName).isEqualTo("leadqual-credentials");
        assertThat(secret.path("stringData").path("kafka-properties").asText()).isEqualTo(kafkaProperties);
        assertThat(secret.path("stringData").path("registry-user").asText()).isEqualTo("leadqual");
        assertThat(secret.path("stringData").path("registry-password").asText())
                .isEqualTo("s3cr3t,with=odd:chars");

        Map<String, JsonNode> env = chart.env();
        assertReferences(env.get("LEADQUAL_KAFKA_PROPERTIES"), secretName, "kafka-properties");
        assertReferences(env.get("LEADQUAL_REGISTRY_USER"), secretName, "registry-user");
        assertReferences(env.get("LEADQUAL_REGISTRY_PASSWORD"), secretName, "registry-password");
        for (String key : new String[] {"kafka-properties", "registry-user", "registry-password"}) {
            assertThat(secret.path("stringData").has(key)).as(key).isTrue();
        }
        // No credential leaks into the FlinkDeployment itself.
        assertThat(chart.flinkDeployment().toString()).doesNotContain("s3cr3t", "SCRAM-SHA-512");
        assertThat(OperatorTypes.CRD.validate(chart.flinkDeployment())).isEmpty();
    }

    @Test
    void anExistingSecretIsReferencedAndNoneIsCreated() {
        RenderedChart chart = render(set("credentials.existingSecret", "leadqual-prod-credentials"));

        assertThat(chart.find("Secret")).isEmpty();
        Map<String, JsonNode> env = chart.env();
        assertReferences(env.get("LEADQUAL_KAFKA_PROPERTIES"), "leadqual-prod-credentials", "kafka-properties");
        assertReferences(env.get("LEADQUAL_REGISTRY_USER"), "leadqual-prod-credentials", "registry-user");
        assertReferences(env.get("LEADQUAL_REGISTRY_PASSWORD"), "leadqual-prod-credentials", "registry-password");
    }

    @Test
    void anExistingSecretAndInlineCredentialsTogetherAreRefused() {
        assertThatThrownBy(() -> render(set(
                        "credentials.existingSecret", "leadqual-prod-credentials",
                        "credentials.registryPassword", "s3cr3t")))
                .hasMessageContaining("either existingSecret or the inline values");
    }

    @Test
    void parallelismAboveMaxParallelismIsRefused() {
        assertThatThrownBy(() -> render(set("job.parallelism", "129")))
                .hasMessageContaining("exceeds pipeline.max-parallelism");
    }

    @Test
    void turningMetricsOffRemovesReporterPortAndScrapeAnnotations() throws Exception {
        JsonNode rendered = render(set("metrics.prometheus.enabled", "false")).flinkDeployment();

        assertThat(OperatorTypes.CRD.validate(rendered)).isEmpty();
        FlinkDeploymentSpec spec = OperatorTypes.toFlinkDeployment(rendered).getSpec();
        assertThat(spec.getFlinkConfiguration()).doesNotContainKeys(
                "metrics.reporter.prom.factory.class", "metrics.reporter.prom.port");
        assertThat(spec.getPodTemplate().getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(spec.getPodTemplate().getSpec().getContainers().get(0).getPorts()).isNullOrEmpty();
    }

    @Test
    void theValidationCatchesMisspeltFieldsWrongTypesAndUnknownEnumValues() {
        JsonNode good = render().flinkDeployment();

        ObjectNode misspelt = good.deepCopy();
        ObjectNode job = CrdSchemaValidator.objectAt(misspelt, "spec.job");
        job.set("upgardeMode", job.remove("upgradeMode"));
        assertThat(OperatorTypes.CRD.validate(misspelt)).containsExactly(
                "spec.job.upgardeMode: unknown field (not in the CRD schema)");
        assertThatThrownBy(() -> OperatorTypes.toFlinkDeployment(misspelt)).hasMessageContaining("upgardeMode");

        ObjectNode misspeltInPod = good.deepCopy();
        ObjectNode container = (ObjectNode) misspeltInPod.at("/spec/podTemplate/spec/containers/0");
        container.set("envv", container.remove("env"));
        assertThat(OperatorTypes.CRD.validate(misspeltInPod)).containsExactly(
                "spec.podTemplate.spec.containers[0].envv: unknown field (not in the CRD schema)");

        ObjectNode wrongType = good.deepCopy();
        CrdSchemaValidator.objectAt(wrongType, "spec.taskManager.resource").put("cpu", "two");
        assertThat(OperatorTypes.CRD.validate(wrongType)).singleElement().asString()
                .startsWith("spec.taskManager.resource.cpu: expected number");

        ObjectNode badEnum = good.deepCopy();
        CrdSchemaValidator.objectAt(badEnum, "spec.job").set("upgradeMode", TextNode.valueOf("savepoints"));
        assertThat(OperatorTypes.CRD.validate(badEnum)).singleElement().asString()
                .startsWith("spec.job.upgradeMode: \"savepoints\" is not one of");
        assertThatThrownBy(() -> OperatorTypes.toFlinkDeployment(badEnum)).hasMessageContaining("savepoints");
    }

    @Test
    void adaptersAreOffByDefault() {
        assertThat(render().env().keySet()).noneMatch(k -> k.startsWith("LEADQUAL_LLM_") || k.startsWith("LEADQUAL_CRM_"));
    }

    @Test
    void adapterValuesBecomeTheEnvironmentVariablesTheJobReadsAndTheKeysComeFromSecrets() throws Exception {
        RenderedChart chart = render(set(
                "adapters.llm.url", "http://vllm.ml.svc:8000",
                "adapters.llm.model", "qwen2.5-7b-instruct",
                "adapters.llm.intentBelow", "0.55",
                "adapters.llm.timeout", "4s",
                "adapters.llm.retries", "0",
                "adapters.llm.budgetPerMinute", "30",
                "adapters.llm.breakerCooldown", "1min",
                "adapters.llm.apiKeySecret.name", "llm-api",
                "adapters.crm.url", "https://crm.example.com/api",
                "adapters.crm.capacity", "50",
                "adapters.crm.apiKeySecret.name", "crm-api",
                "adapters.crm.apiKeySecret.key", "token"));

        Map<String, JsonNode> env = chart.env();
        // The names the job's settings read: --llm.intent-below is LEADQUAL_LLM_INTENT_BELOW, and so on.
        assertThat(env.get("LEADQUAL_LLM_URL").path("value").asText()).isEqualTo("http://vllm.ml.svc:8000");
        assertThat(env.get("LEADQUAL_LLM_MODEL").path("value").asText()).isEqualTo("qwen2.5-7b-instruct");
        assertThat(env.get("LEADQUAL_LLM_INTENT_BELOW").path("value").asText()).isEqualTo("0.55");
        assertThat(env.get("LEADQUAL_LLM_TIMEOUT").path("value").asText()).isEqualTo("4s");
        assertThat(env.get("LEADQUAL_LLM_RETRIES").path("value").asText()).isEqualTo("0");
        assertThat(env.get("LEADQUAL_LLM_BUDGET_PER_MINUTE").path("value").asText()).isEqualTo("30");
        assertThat(env.get("LEADQUAL_LLM_BREAKER_COOLDOWN").path("value").asText()).isEqualTo("1min");
        assertThat(env.get("LEADQUAL_CRM_URL").path("value").asText()).isEqualTo("https://crm.example.com/api");
        assertThat(env.get("LEADQUAL_CRM_CAPACITY").path("value").asText()).isEqualTo("50");
        // Values left empty are not passed: the job's own defaults apply.
        assertThat(env).doesNotContainKeys("LEADQUAL_LLM_CAPACITY", "LEADQUAL_LLM_BACKOFF", "LEADQUAL_CRM_TIMEOUT",
                "LEADQUAL_CRM_MODEL", "LEADQUAL_CRM_INTENT_BELOW");
        assertReferences(env.get("LEADQUAL_LLM_API_KEY"), "llm-api", "api-key");
        assertReferences(env.get("LEADQUAL_CRM_API_KEY"), "crm-api", "token");
        assertThat(chart.find("Secret")).isEmpty();
        assertThat(OperatorTypes.CRD.validate(chart.flinkDeployment())).isEmpty();
    }

    @Test
    void anAdapterWithoutAUrlPassesNothingEvenWithOtherValuesSet() {
        RenderedChart chart = render(set("adapters.crm.timeout", "5s", "adapters.crm.apiKeySecret.name", "crm-api"));

        assertThat(chart.env().keySet()).noneMatch(k -> k.startsWith("LEADQUAL_CRM_"));
    }

    private static void assertReferences(JsonNode envVar, String secretName, String key) {
        assertThat(envVar).as("env var referencing %s", key).isNotNull();
        assertThat(envVar.has("value")).isFalse();
        assertThat(envVar.at("/valueFrom/secretKeyRef/name").asText()).isEqualTo(secretName);
        assertThat(envVar.at("/valueFrom/secretKeyRef/key").asText()).isEqualTo(key);
    }
}
