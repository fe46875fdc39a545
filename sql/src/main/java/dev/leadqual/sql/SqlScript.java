package dev.leadqual.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** SQL text as a data engineer writes it: statements ended by ';', comments, '${name}' placeholders. */
public final class SqlScript {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");

    private SqlScript() {}

    /**
     * The statements of a script, without their ';' and surrounding blanks. A ';' inside a string
     * literal, a quoted identifier or a comment does not end a statement; comments stay in the text
     * (Flink's parser skips them); statements that are only comments are dropped.
     */
    public static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int end : terminators(script)) {
            add(out, script.substring(start, end));
            start = end + 1;
        }
        add(out, script.substring(start));
        return out;
    }

    /** Whether the text ends with a statement's ';' (not one inside a literal or a comment). */
    public static boolean isComplete(String text) {
        List<Integer> ends = terminators(text);
        return !ends.isEmpty() && text.substring(ends.get(ends.size() - 1) + 1).isBlank()
                && !statements(text).isEmpty();
    }

    /** The statement's first keyword in upper case, after comments and opening parentheses ("" if none). */
    public static String firstKeyword(String statement) {
        String s = statement.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("--[^\n]*", " ").stripLeading();
        int i = 0;
        while (i < s.length() && (s.charAt(i) == '(' || Character.isWhitespace(s.charAt(i)))) {
            i++;
        }
        int end = i;
        while (end < s.length() && Character.isLetter(s.charAt(end))) {
            end++;
        }
        return s.substring(i, end).toUpperCase(java.util.Locale.ROOT);
    }

    /** Positions of the ';' that end statements. */
    private static List<Integer> terminators(String script) {
        List<Integer> ends = new ArrayList<>();
        int i = 0;
        int n = script.length();
        while (i < n) {
            char c = script.charAt(i);
            if (c == '\'' || c == '`' || c == '"') {
                i = endOfQuoted(script, i, c);
            } else if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
                int eol = script.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
                int end = script.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                if (c == ';') {
                    ends.add(i);
                }
                i++;
            }
        }
        return ends;
    }

    /** Replaces every {@code ${name}} with its value; a name without a value is an error. */
    public static String resolve(String text, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("no value for ${" + m.group(1) + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value.replace("'", "''")));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A string literal for SQL. */
    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static int endOfQuoted(String s, int open, char quote) {
        int i = open + 1;
        while (i < s.length()) {
            if (s.charAt(i) == quote) {
                if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
                    i += 2; // doubled quote: an escaped quote inside
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return s.length();
    }

    private static void add(List<String> out, String statement) {
        String s = statement.strip();
        if (!s.isEmpty() && !onlyComments(s)) {
            out.add(s);
        }
    }

    private static boolean onlyComments(String s) {
        return s.replaceAll("(?s)/\\*.*?\\*/", "").lines().map(String::strip)
                .allMatch(l -> l.isEmpty() || l.startsWith("--"));
    }
}
