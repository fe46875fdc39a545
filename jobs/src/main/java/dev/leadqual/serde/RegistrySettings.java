package dev.leadqual.serde;

import java.io.Serializable;
import java.util.Objects;

/**
 * Where the schema registry is and how to log in. Any server speaking the Confluent REST API works:
 * Confluent, Karapace, Apicurio (ccompat), Redpanda, or the local Hortonworks registry the demo runs.
 *
 * @param url base URL of the Confluent-compatible API, e.g. {@code http://127.0.0.1:8081}
 * @param user basic-auth user, or null
 * @param password basic-auth password, or null; never logged
 */
public record RegistrySettings(String url, String user, String password) implements Serializable {

    public RegistrySettings {
        Objects.requireNonNull(url, "schema registry url");
        url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public static RegistrySettings of(String url) {
        return new RegistrySettings(url, null, null);
    }

    public boolean hasCredentials() {
        return user != null && !user.isEmpty();
    }

    @Override
    public String toString() {
        return "RegistrySettings[url=" + url + ", user=" + (hasCredentials() ? user : "-") + "]";
    }
}
