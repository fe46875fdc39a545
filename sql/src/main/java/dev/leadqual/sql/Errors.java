package dev.leadqual.sql;

import java.util.LinkedHashSet;
import java.util.Set;

/** Flink wraps a SQL error in several layers; a user wants the outermost and the root cause. */
final class Errors {

    private Errors() {}

    static String describe(Throwable e) {
        Set<String> messages = new LinkedHashSet<>();
        Throwable root = e;
        messages.add(message(e));
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        messages.add(message(root));
        return String.join("\n  caused by: ", messages);
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m.strip();
    }
}
