package dev.leadqual.cluster;

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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Flink REST API of a cluster, as far as LeadQual's operations need it: the overview, jar upload
 * and run (optionally from a savepoint), job status and restarts, failure history, stop with a
 * savepoint and cancel. Any Flink 2.x session cluster works, not just {@link LocalCluster}.
 */
public final class ClusterRest {

    /** A job as the cluster reports it. */
    public record Job(String id, String name, String state, long startTime) {}

    /** A failure the JobManager recorded for a job (each one caused a restart). */
    public record Failure(long timestamp, String exceptionName, String stacktrace, String taskName) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public ClusterRest(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    public String url() {
        return baseUrl;
    }

    /** Whether the REST API answers. */
    public boolean reachable() {
        try {
            HttpResponse<String> r = http.send(get("/overview").timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code GET /overview}: taskmanagers, slots-total, slots-available, jobs-running, flink-version. */
    public JsonNode overview() throws IOException {
        return call(get("/overview"));
    }

    /** {@code GET /taskmanagers}: id, slotsNumber, freeSlots, dataPort, hardware, memoryConfiguration. */
    public JsonNode taskManagerList() throws IOException {
        return call(get("/taskmanagers")).path("taskmanagers");
    }

    /** Resource ids of the registered TaskManagers. */
    public List<String> taskManagerIds() throws IOException {
        List<String> ids = new ArrayList<>();
        taskManagerList().forEach(tm -> ids.add(tm.path("id").asText()));
        return ids;
    }

    public List<Job> jobs() throws IOException {
        List<Job> jobs = new ArrayList<>();
        call(get("/jobs/overview")).path("jobs").forEach(j -> jobs.add(new Job(j.path("jid").asText(),
                j.path("name").asText(), j.path("state").asText(), j.path("start-time").asLong())));
        return jobs;
    }

    /** Uploads a job jar ({@code POST /jars/upload}); returns the jar id for {@link #runJar}. */
    public String uploadJar(Path jar) throws IOException {
        String boundary = "leadqual-" + UUID.randomUUID();
        String head = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"jarfile\"; filename=\"" + jar.getFileName() + "\"\r\n"
                + "Content-Type: application/x-java-archive\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.concat(
                HttpRequest.BodyPublishers.ofString(head),
                HttpRequest.BodyPublishers.ofFile(jar),
                HttpRequest.BodyPublishers.ofString(tail));
        JsonNode r = call(request("/jars/upload")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(body));
        String file = r.path("filename").asText();
        if (file.isEmpty()) {
            throw new IOException("jar upload answered without a file name: " + r);
        }
        return Path.of(file).getFileName().toString();
    }

    /**
     * Runs an uploaded jar ({@code POST /jars/{id}/run}); returns the job id.
     *
     * @param parallelism the job's parallelism; null runs it with 1 (the handler does not apply the
     *     cluster's {@code parallelism.default})
     * @param savepointPath restore from this savepoint or retained checkpoint, or null
     * @param flinkConfiguration job-level Flink options (e.g. the checkpoint interval), may be empty
     */
    public String runJar(String jarId, String entryClass, List<String> args, Integer parallelism,
            String savepointPath, boolean allowNonRestoredState, Map<String, String> flinkConfiguration)
            throws IOException {
        ObjectNode body = JSON.createObjectNode();
        if (entryClass != null) {
            body.put("entryClass", entryClass);
        }
        body.set("programArgsList", JSON.valueToTree(args));
        if (parallelism != null) {
            body.put("parallelism", parallelism);
        }
        if (savepointPath != null) {
            body.put("savepointPath", savepointPath);
            body.put("allowNonRestoredState", allowNonRestoredState);
        }
        if (flinkConfiguration != null && !flinkConfiguration.isEmpty()) {
            body.set("flinkConfiguration", JSON.valueToTree(flinkConfiguration));
        }
        JsonNode r = call(request("/jars/" + enc(jarId) + "/run")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        return r.path("jobid").asText();
    }

    /** {@code DELETE /jars/{id}}. */
    public void deleteJar(String jarId) throws IOException {
        call(request("/jars/" + enc(jarId)).DELETE());
    }

    /** Uploads, runs and deletes the jar (the cluster keeps what the job needs); returns the job id. */
    public String submit(Path jar, String entryClass, List<String> args, int parallelism, String savepointPath,
            Map<String, String> flinkConfiguration) throws IOException {
        String jarId = uploadJar(jar);
        try {
            return runJar(jarId, entryClass, args, parallelism, savepointPath, false, flinkConfiguration);
        } finally {
            deleteJar(jarId);
        }
    }

    /** {@code GET /jobs/{id}}: state, vertices with their status and parallelism, timestamps. */
    public JsonNode job(String jobId) throws IOException {
        return call(get("/jobs/" + enc(jobId)));
    }

    /** The job's state: CREATED, RUNNING, RESTARTING, FAILING, FINISHED, CANCELED, FAILED, ... */
    public String jobState(String jobId) throws IOException {
        return job(jobId).path("state").asText();
    }

    /** Whether the job is RUNNING and every one of its tasks is RUNNING (deployed and restored). */
    public boolean allTasksRunning(String jobId) throws IOException {
        JsonNode j = job(jobId);
        if (!"RUNNING".equals(j.path("state").asText())) {
            return false;
        }
        for (JsonNode v : j.path("vertices")) {
            JsonNode counts = v.path("tasks");
            int running = counts.path("RUNNING").asInt();
            if (running != v.path("parallelism").asInt()) {
                return false;
            }
        }
        return true;
    }

    /** Resource ids of the TaskManagers that run at least one of the job's tasks. */
    public List<String> taskManagersOf(String jobId) throws IOException {
        List<String> ids = new ArrayList<>();
        for (JsonNode v : job(jobId).path("vertices")) {
            JsonNode tms = call(get("/jobs/" + enc(jobId) + "/vertices/" + enc(v.path("id").asText()) + "/taskmanagers"));
            for (JsonNode tm : tms.path("taskmanagers")) {
                String id = tm.path("taskmanager-id").asText();
                if (!id.isEmpty() && !ids.contains(id)) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    /** The job's {@code numRestarts} metric (refreshed by the JobManager every metrics-fetcher interval). */
    public long restarts(String jobId) throws IOException {
        JsonNode r = call(get("/jobs/" + enc(jobId) + "/metrics?get=numRestarts"));
        for (JsonNode m : r) {
            if ("numRestarts".equals(m.path("id").asText())) {
                return Long.parseLong(m.path("value").asText("0"));
            }
        }
        return 0;
    }

    /** Failures the JobManager recorded for the job, newest first ({@code GET /jobs/{id}/exceptions}). */
    public List<Failure> failures(String jobId) throws IOException {
        JsonNode r = call(get("/jobs/" + enc(jobId) + "/exceptions?maxExceptions=100"));
        List<Failure> out = new ArrayList<>();
        for (JsonNode e : r.path("exceptionHistory").path("entries")) {
            out.add(new Failure(e.path("timestamp").asLong(), e.path("exceptionName").asText(),
                    e.path("stacktrace").asText(), e.path("taskName").asText(null)));
        }
        return out;
    }

    /** {@code GET /jobs/{id}/checkpoints}: counts (completed, failed, in_progress), latest. */
    public JsonNode checkpoints(String jobId) throws IOException {
        return call(get("/jobs/" + enc(jobId) + "/checkpoints"));
    }

    /** Completed checkpoints of the current job (counts since the job was submitted). */
    public long completedCheckpoints(String jobId) throws IOException {
        return checkpoints(jobId).path("counts").path("completed").asLong();
    }

    /**
     * Stops the job with a savepoint ({@code POST /jobs/{id}/stop}) and waits for it; returns the
     * savepoint's location. {@code targetDirectory} null means the cluster's savepoint directory.
     */
    public String stopWithSavepoint(String jobId, String targetDirectory, Duration timeout) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        if (targetDirectory != null) {
            body.put("targetDirectory", targetDirectory);
        }
        body.put("drain", false);
        body.put("formatType", "CANONICAL");
        JsonNode trigger = call(request("/jobs/" + enc(jobId) + "/stop")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        String requestId = trigger.path("request-id").asText();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode s = call(get("/jobs/" + enc(jobId) + "/savepoints/" + enc(requestId)));
            if ("COMPLETED".equals(s.path("status").path("id").asText())) {
                JsonNode op = s.path("operation");
                if (op.has("failure-cause")) {
                    throw new IOException("stop with savepoint failed: "
                            + op.path("failure-cause").path("stack-trace").asText(op.path("failure-cause").toString()));
                }
                return op.path("location").asText();
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("savepoint of job " + jobId + " not complete after " + timeout.toSeconds() + " s");
            }
            sleep(250);
        }
    }

    /** Cancels the job ({@code PATCH /jobs/{id}?mode=cancel}). */
    public void cancel(String jobId) throws IOException {
        call(request("/jobs/" + enc(jobId) + "?mode=cancel").method("PATCH", HttpRequest.BodyPublishers.noBody()));
    }

    /** Raw GET of any REST path, for what this class does not wrap. */
    public JsonNode getJson(String path) throws IOException {
        return call(get(path));
    }

    // ---------------------------------------------------------------------------------------------

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(REQUEST_TIMEOUT);
    }

    private HttpRequest.Builder get(String path) {
        return request(path).GET();
    }

    private JsonNode call(HttpRequest.Builder req) throws IOException {
        HttpRequest r = req.build();
        HttpResponse<String> response;
        try {
            response = http.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + r.method() + " " + r.uri(), e);
        }
        int code = response.statusCode();
        if (code / 100 != 2) {
            throw new IOException(r.method() + " " + r.uri() + " answered HTTP " + code + ": " + response.body());
        }
        String b = response.body();
        return b == null || b.isBlank() ? JSON.createObjectNode() : JSON.readTree(b);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
