package dev.leadqual.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A file of JSON lines read one object at a time; a line that cannot be used is reported with its number and skipped. */
public final class JsonLines {

    /** Uses one line ({@code number} counts from 1); returns null when it was used, else why not. */
    @FunctionalInterface
    public interface Handler {
        String accept(JsonNode line, int number);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonLines() {}

    /** Every non-blank line of {@code file} to {@code handler}; unusable lines go to {@code badLines} ("line N: why"). */
    public static void read(Path file, List<String> badLines, Handler handler) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    String why = handler.accept(JSON.readTree(line), n);
                    if (why != null) {
                        badLines.add("line " + n + ": " + why);
                    }
                } catch (IOException | RuntimeException e) {
                    badLines.add("line " + n + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
        }
    }
}
