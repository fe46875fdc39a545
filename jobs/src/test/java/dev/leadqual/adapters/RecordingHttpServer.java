package dev.leadqual.adapters;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The remote service in tests: the JDK's HTTP server on 127.0.0.1, recording every request and
 * answering from a script (then from a default), including slow answers. It stands in for an LLM
 * endpoint or a CRM; nothing else is stubbed.
 */
public final class RecordingHttpServer implements AutoCloseable {

    /** A request as the server received it. */
    public record Request(String method, String path, String query, Map<String, List<String>> headers, String body,
            long receivedAtNanos) {
        /** The first value of a header (names are case-insensitive), or null. */
        public String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().isEmpty() ? null : e.getValue().get(0);
                }
            }
            return null;
        }
    }

    /** An answer: status, JSON body, extra headers, and how long to wait before answering. */
    public record Reply(int status, String body, Map<String, String> headers, long delayMillis) {
        public static Reply json(int status, String body) {
            return new Reply(status, body, Map.of(), 0);
        }

        public Reply withHeader(String name, String value) {
            Map<String, String> h = new java.util.HashMap<>(headers);
            h.put(name, value);
            return new Reply(status, body, Map.copyOf(h), delayMillis);
        }

        public Reply after(long millis) {
            return new Reply(status, body, headers, millis);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "recording-http-server");
        t.setDaemon(true);
        return t;
    });
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedDeque<Reply> script = new ConcurrentLinkedDeque<>();
    private volatile Function<Request, Reply> otherwise = r -> Reply.json(500, "{\"error\":\"no reply scripted\"}");

    private RecordingHttpServer(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** A server on a free port. */
    public static RecordingHttpServer start() throws IOException {
        return new RecordingHttpServer(0);
    }

    /** A server on {@code port} (to bring a "dead" service back where the job expects it). */
    public static RecordingHttpServer start(int port) throws IOException {
        return new RecordingHttpServer(port);
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Answers the next requests with these replies, in order. */
    public RecordingHttpServer then(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    /** Answers requests with no scripted reply left. */
    public RecordingHttpServer otherwise(Function<Request, Reply> reply) {
        this.otherwise = reply;
        return this;
    }

    public List<Request> requests() {
        return new ArrayList<>(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] in = exchange.getRequestBody().readAllBytes();
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()),
                    new String(in, StandardCharsets.UTF_8), System.nanoTime());
            requests.add(request);
            Reply reply = script.pollFirst();
            if (reply == null) {
                reply = otherwise.apply(request);
            }
            if (reply.delayMillis() > 0) {
                try {
                    Thread.sleep(reply.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            }
        } catch (IOException e) {
            // the client gave up (timeout): nothing to answer
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
