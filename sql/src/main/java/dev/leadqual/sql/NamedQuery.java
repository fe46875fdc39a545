package dev.leadqual.sql;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** A query of {@code queries/NAME.sql}: runnable by name; its leading comment is its description. */
public record NamedQuery(String name, String description, String sql) {

    public static List<NamedQuery> all() {
        return SqlResources.list("queries").stream().map(NamedQuery::load).toList();
    }

    /** By name; '-' and '_' are the same, case does not matter. */
    public static Optional<NamedQuery> find(String name) {
        String wanted = normalise(name);
        return all().stream().filter(q -> q.name().equals(wanted)).findFirst();
    }

    private static NamedQuery load(String file) {
        String sql = SqlResources.read("queries/" + file);
        String description = sql.lines().takeWhile(l -> l.startsWith("--"))
                .map(l -> l.substring(2).strip()).collect(Collectors.joining(" "));
        return new NamedQuery(file.substring(0, file.length() - ".sql".length()), description, sql);
    }

    private static String normalise(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        return n.endsWith(".sql") ? n.substring(0, n.length() - 4) : n;
    }
}
