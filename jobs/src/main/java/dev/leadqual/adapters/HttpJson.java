package dev.leadqual.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CompletableFuture;

/** JSON over the JDK's HTTP client: one client per parallel instance, statuses mapped to {@link RemoteException}. */
final class HttpJson {

    static final ObjectMapper JSON = new ObjectMapper();

    private HttpJson() {}

    static HttpClient client(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The base URL without a trailing slash. */
    static String base(String url) {
        String u = url.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        URI.create(u); // fail fast on a malformed setting
        return u;
    }

    static HttpRequest.Builder request(URI uri, Duration timeout, String apiKey) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
        if (apiKey != null && !apiKey.isBlank()) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return b;
    }

    static CompletableFuture<HttpResponse<String>> send(HttpClient client, HttpRequest request) {
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The JSON body of a 2xx answer; a {@link RemoteException} for any other status or an unparsable body. */
    static JsonNode body(HttpResponse<String> response) throws RemoteException {
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw error(response);
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException | RuntimeException e) {
            throw RemoteException.malformed("not JSON");
        }
    }

    static RemoteException error(HttpResponse<String> response) {
        int status = response.statusCode();
        boolean retryable = status == 408 || status == 429 || status >= 500;
        Duration retryAfter = response.headers().firstValue("Retry-After").map(HttpJson::retryAfter).orElse(null);
        return new RemoteException("HTTP " + status, status, retryable, retryAfter);
    }

    /** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3); null when unreadable. */
    static Duration retryAfter(String value) {
        String v = value.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException notADate) {
                return null;
            }
        }
    }
}
