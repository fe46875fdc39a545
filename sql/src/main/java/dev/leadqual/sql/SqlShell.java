package dev.leadqual.sql;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive shell: Flink SQL statements ended by ';' (several lines each), history and line
 * editing; {@code help}, {@code queries}, {@code run NAME}, {@code quit}. Ctrl-C cancels a running
 * query or clears the current input; Ctrl-D quits.
 */
final class SqlShell {

    private final SqlSession session;

    SqlShell(SqlSession session) {
        this.session = session;
    }

    void run() throws Exception {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            LineReader reader = LineReaderBuilder.builder()
                    .appName("leadqual-sql")
                    .terminal(terminal)
                    .variable(LineReader.HISTORY_FILE, historyFile())
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                    .build();
            terminal.handle(Terminal.Signal.INT, signal -> session.cancelRunning());
            terminal.writer().println(banner());
            terminal.flush();
            StringBuilder input = new StringBuilder();
            while (true) {
                String line;
                try {
                    line = reader.readLine(input.isEmpty() ? "leadqual> " : "        > ");
                } catch (UserInterruptException e) {
                    input.setLength(0);
                    continue;
                } catch (EndOfFileException e) {
                    return;
                }
                if (input.isEmpty()) {
                    String command = line.strip().replaceAll(";$", "").strip().toLowerCase(Locale.ROOT);
                    if (command.equals("quit") || command.equals("exit")) {
                        return;
                    }
                    if (command.isEmpty() || shellCommand(command, line.strip())) {
                        continue;
                    }
                }
                input.append(line).append('\n');
                if (SqlScript.isComplete(input.toString())) {
                    execute(null, input.toString());
                    input.setLength(0);
                }
            }
        }
    }

    private boolean shellCommand(String command, String line) {
        if (command.equals("help")) {
            System.out.println(help());
            return true;
        }
        if (command.equals("queries")) {
            NamedQuery.all().forEach(q -> System.out.printf("%-24s %s%n", q.name(), q.description()));
            return true;
        }
        if (command.startsWith("run ")) {
            String name = line.strip().replaceAll(";$", "").substring(4).strip();
            Optional<NamedQuery> q = NamedQuery.find(name);
            if (q.isEmpty()) {
                System.out.println("[ERROR] no named query '" + name + "' (queries lists them)");
            } else {
                System.out.println("-- " + q.get().description());
                execute(q.get());
            }
            return true;
        }
        return false;
    }

    private void execute(NamedQuery query) {
        try {
            session.run(query);
        } catch (RuntimeException e) {
            System.out.println("[ERROR] " + Errors.describe(e));
        }
        System.out.flush();
    }

    private void execute(String name, String sql) {
        try {
            session.run(name, sql);
        } catch (RuntimeException e) {
            System.out.println("[ERROR] " + Errors.describe(e));
        }
        System.out.flush();
    }

    private static Path historyFile() {
        String home = System.getenv("LEADQUAL_HOME");
        return home != null
                ? Path.of(home, ".leadqual", "sql-history")
                : Path.of(System.getProperty("user.home"), ".leadqual-sql-history");
    }

    private static String banner() {
        return "LeadQual SQL (Flink SQL, batch: each query reads what the topics hold when it starts).\n"
                + "Tables: " + String.join(", ", OutputTables.defaultTopics().keySet()) + "\n"
                + "Views:  leads_latest, closed_sessions, sales_outcomes\n"
                + "Type help; for help, queries; for the named queries, run NAME; to run one, quit; to leave.";
    }

    private static String help() {
        return """
                Statements end with ';' and may span lines. Besides Flink SQL (SELECT, SHOW TABLES,
                DESCRIBE leads, SHOW CREATE TABLE leads, EXPLAIN ..., CREATE TEMPORARY VIEW ...):
                  queries;          the named queries and what they answer
                  run NAME;         run one (e.g. run funnel;)
                  help;  quit;      this text; leave (also Ctrl-D)
                Ctrl-C cancels a running query. Timestamps are UTC. Tables read every committed record
                of their topic up to the offsets at the query's start (scan.bounded.mode latest-offset).""";
    }
}
