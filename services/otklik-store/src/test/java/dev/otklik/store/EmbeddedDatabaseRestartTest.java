package dev.otklik.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseRestartTest {

  @Test
  @DisplayName("data written to the embedded server is still there after a stop and a start on the same directory")
  void dataSurvivesRestart(@TempDir Path dir) throws Exception {
    DatabaseOptions options = DatabaseOptions.embedded(dir.resolve("pgdata"));
    try (EmbeddedDatabase db = EmbeddedDatabase.start(options)) {
      DatabaseMigrator.migrate(db.endpoint());
      try (Connection c = DriverManager.getConnection(db.endpoint().jdbcUrl(), "postgres", "")) {
        c.createStatement().execute(
            "INSERT INTO tenant (id, request_number_prefix, enabled) VALUES ('keep-me', 'KEEP', true)");
      }
    }
    assertThat(Files.exists(dir.resolve("pgdata/PG_VERSION"))).isTrue();

    try (EmbeddedDatabase db = EmbeddedDatabase.start(options)) {
      var result = DatabaseMigrator.migrate(db.endpoint());
      assertThat(result.migrationsExecuted).isZero();
      try (Connection c = DriverManager.getConnection(db.endpoint().jdbcUrl(), "postgres", "");
          ResultSet rs = c.createStatement().executeQuery("SELECT request_number_prefix FROM tenant WHERE id = 'keep-me'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("KEEP");
      }
    }
  }
}
