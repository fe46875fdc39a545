package dev.leadqual.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlScriptTest {

    @Test
    void splitsOnSemicolonsOutsideLiteralsIdentifiersAndComments() {
        String script = """
                -- a comment; not a statement end
                CREATE TABLE t (`a;b` STRING) WITH ('x' = 'it''s; fine');
                /* block; comment */ SELECT 'a;b' FROM t;
                -- a comment of the next statement;
                SELECT 1;
                -- a trailing comment only
                """;
        assertThat(SqlScript.statements(script)).containsExactly(
                "-- a comment; not a statement end\nCREATE TABLE t (`a;b` STRING) WITH ('x' = 'it''s; fine')",
                "/* block; comment */ SELECT 'a;b' FROM t",
                "-- a comment of the next statement;\nSELECT 1");
    }

    @Test
    void theFirstKeywordSaysWhetherAStatementReadsTables() {
        assertThat(SqlScript.firstKeyword("-- the funnel\n/* per tenant */ select * FROM leads")).isEqualTo("SELECT");
        assertThat(SqlScript.firstKeyword("(SELECT 1) UNION (SELECT 2)")).isEqualTo("SELECT");
        assertThat(SqlScript.firstKeyword("WITH t AS (SELECT 1) SELECT * FROM t")).isEqualTo("WITH");
        assertThat(SqlScript.firstKeyword("  SHOW TABLES")).isEqualTo("SHOW");
        assertThat(SqlScript.firstKeyword("-- only a comment")).isEmpty();
    }

    @Test
    void aStatementIsCompleteOnlyWhenItsSemicolonEndsIt() {
        assertThat(SqlScript.isComplete("SELECT 1;\n")).isTrue();
        assertThat(SqlScript.isComplete("SELECT\n  'a;")).isFalse();
        assertThat(SqlScript.isComplete("SELECT 'a;' -- more;")).isFalse();
        assertThat(SqlScript.isComplete("SELECT 'a;'\n FROM t ;  ")).isTrue();
        assertThat(SqlScript.isComplete(";")).isFalse();
    }

    @Test
    void placeholdersAreFilledAsSqlStringContent() {
        assertThat(SqlScript.resolve("'${kafka.bootstrap}' '${registry.url}'",
                Map.of("kafka.bootstrap", "h:9092", "registry.url", "http://r/it's")))
                .isEqualTo("'h:9092' 'http://r/it''s'");
        assertThatThrownBy(() -> SqlScript.resolve("'${nope}'", Map.of()))
                .hasMessageContaining("${nope}");
    }
}
