package dev.leadqual.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A small client for the Confluent Schema Registry REST API: register a schema under a subject, find
 * the id of a schema under a subject, and look a schema up by id, all cached so the hot path never
 * calls the registry twice for the same schema. An id the registry does not know is asked again only
 * after {@link #UNKNOWN_ID_RECHECK} (a record with a made-up id would otherwise cost an HTTP call
 * each). Shared per JVM and registry (see {@link #forSettings}).
 */
public final class SchemaRegistryClient {

    private static final Map<RegistrySettings, SchemaRegistryClient> CLIENTS = new ConcurrentHashMap<>();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long an id the registry answered "not found" for stays unknown without asking again. */
    static final Duration UNKNOWN_ID_RECHECK = Duration.ofSeconds(10);
    /** At most this many remembered unknown ids (random bytes can carry any id). */
    private static final int MAX_UNKNOWN_IDS = 10_000;

    private final RegistrySettings settings;
    private final HttpClient http;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();
    private final Map<String, Object> subjectLocks = new ConcurrentHashMap<>();
    /** Ids the registry did not know, with the System.nanoTime() until which they are not asked again. */
    private final Map<Integer, Long> unknownIds = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger registrations = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();

    SchemaRegistryClient(RegistrySettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    public static SchemaRegistryClient forSettings(RegistrySettings settings) {
        return CLIENTS.computeIfAbsent(settings, SchemaRegistryClient::new);
    }

    /**
     * The global id of {@code schema} under {@code subject}: looked up (a read), and registered only
     * when the subject does not have it yet. Sinks use this: the job's client registered every output
     * schema before it submitted the job ({@code OutputSchemas}), so parallel sink instances in several
     * JVMs do not register the same schema at the same moment (the local registry answered such a race
     * with HTTP 500 and then failed the subject).
     */
    public int idOf(String subject, Schema schema) throws IOException {
        String cacheKey = subject + '\u0000' + schema.toString();
        Integer cached = idsBySubjectAndSchema.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send(
                request("/subjects/" + encode(subject))
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                                JSON.createObjectNode().put("schema", schema.toString()))))
                        .header("Content-Type", CONTENT_TYPE),
                "look up a schema under subject " + subject, true);
        if (answer == null || !answer.hasNonNull("id")) {
            return register(subject, schema);
        }
        int id = answer.get("id").asInt();
        idsBySubjectAndSchema.put(cacheKey, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    /** How many schemas this client registered (POSTed to a subject's versions). */
    int registrations() {
        return registrations.get();
    }

    /** How many HTTP requests this client sent. */
    int requests() {
        return requests.get();
    }

    /** Registers (or finds) {@code schema} under {@code subject} and returns its global id. */
    public int register(String subject, Schema schema) throws IOException {
        String cacheKey = subject + '\u0000' + schema.toString();
        Integer cached = idsBySubjectAndSchema.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        // One registration per subject at a time from this JVM: parallel subtasks of a sink register the
        // same schema at the same moment, and the local registry answered such a race with HTTP 500 and
        // then failed every later registration under that subject.
        synchronized (subjectLocks.computeIfAbsent(subject, k -> new Object())) {
            cached = idsBySubjectAndSchema.get(cacheKey);
            return cached != null ? cached : registerNow(subject, schema, cacheKey);
        }
    }

    private int registerNow(String subject, Schema schema, String cacheKey) throws IOException {
        registrations.incrementAndGet();
        ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
        JsonNode answer = send(
                request("/subjects/" + encode(subject) + "/versions")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .header("Content-Type", CONTENT_TYPE),
                "register a schema under subject " + subject, false);
        if (!answer.hasNonNull("id")) {
            throw new IOException("Schema registry answered without an id for subject " + subject);
        }
        int id = answer.get("id").asInt();
        idsBySubjectAndSchema.put(cacheKey, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    /** The schema with global id {@code id}; fails with {@link UnknownSchemaException} if none. */
    public Schema schemaById(int id) throws IOException {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        Long unknownUntil = unknownIds.get(id);
        if (unknownUntil != null && System.nanoTime() - unknownUntil < 0) {
            throw new UnknownSchemaException(id);
        }
        JsonNode answer = send(request("/schemas/ids/" + id).GET(), "look up schema id " + id, true);
        if (answer == null || !answer.hasNonNull("schema")) {
            if (unknownIds.size() >= MAX_UNKNOWN_IDS) {
                unknownIds.clear();
            }
            unknownIds.put(id, System.nanoTime() + UNKNOWN_ID_RECHECK.toNanos());
            throw new UnknownSchemaException(id);
        }
        unknownIds.remove(id);
        Schema schema = new Schema.Parser().parse(answer.get("schema").asText());
        schemasById.putIfAbsent(id, schema);
        return schema;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(settings.url() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", CONTENT_TYPE + ", application/json");
        if (settings.hasCredentials()) {
            String token = settings.user() + ":" + (settings.password() == null ? "" : settings.password());
            builder.header("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
        }
        return builder;
    }

    /** The answer's JSON; null for HTTP 404 when {@code notFoundIsNull}. */
    private JsonNode send(HttpRequest.Builder request, String what, boolean notFoundIsNull) throws IOException {
        HttpResponse<String> response;
        requests.incrementAndGet();
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while trying to " + what, e);
        }
        int status = response.statusCode();
        if (status == 404 && notFoundIsNull) {
            return null;
        }
        if (status / 100 != 2) {
            throw new IOException("Schema registry " + settings.url() + " could not " + what
                    + ": HTTP " + status + " " + abbreviate(response.body()));
        }
        return JSON.readTree(response.body());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    /** No schema with this id is known to the registry. */
    public static final class UnknownSchemaException extends IOException {
        private final int schemaId;

        public UnknownSchemaException(int schemaId) {
            super("unknown schema id " + schemaId);
            this.schemaId = schemaId;
        }

        public int schemaId() {
            return schemaId;
        }
    }
}
