package dev.otklik.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NamedSqlTest {

  @Test
  @DisplayName("named parameters become positional, repeated names reuse their position, casts stay")
  void namedParametersBecomePositional() {
    NamedSql sql = NamedSql.parse("t.sql", """
        -- name: q
        -- a comment line inside is dropped
        SELECT :a::jsonb, :b, '10:30' FROM x WHERE y = :a
        """);
    NamedSql.Statement q = sql.get("q");
    assertThat(q.sql()).isEqualTo("SELECT $1::jsonb, $2, '10:30' FROM x WHERE y = $1");
    assertThat(q.parameters()).containsExactly("a", "b");
    assertThat(q.tuple(Map.of("a", "1", "b", 2)).size()).isEqualTo(2);
  }

  @Test
  @DisplayName("a missing statement or parameter fails loudly, naming what is missing")
  void missingStatementOrParameterFails() {
    NamedSql sql = NamedSql.parse("t.sql", "-- name: q\nSELECT :a\n");
    assertThatThrownBy(() -> sql.get("nope")).hasMessageContaining("t.sql has no statement named nope");
    assertThatThrownBy(() -> sql.get("q").tuple(Map.of())).hasMessageContaining("needs parameter :a");
    assertThatThrownBy(() -> NamedSql.parse("d.sql", "-- name: q\nSELECT 1\n-- name: q\nSELECT 2\n"))
        .hasMessageContaining("defined twice");
  }

  @Test
  @DisplayName("every statement file the stores use loads")
  void storeStatementsLoad() {
    new TenantStore(null);
    new OrganisationStore(null);
    new UserStore(null);
    new RefreshTokenStore(null, java.time.Clock.systemUTC(), java.time.Duration.ofDays(1));
  }
}
