package dev.otklik.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQL kept in resource files ({@code sql/<file>.sql}) as named blocks:
 *
 * <pre>
 * -- name: find-tenant
 * SELECT * FROM tenant WHERE id = :id
 * </pre>
 *
 * Named parameters ({@code :id}) become PostgreSQL positional ones ({@code $1}); a cast such as
 * {@code ::jsonb} is left alone. A store asks for its statements when it is built, so a missing
 * or misspelt statement fails at start-up, not on the first request.
 */
public final class NamedSql {

  private static final Pattern NAME = Pattern.compile("^--\\s*name:\\s*([a-z0-9-]+)\\s*$");
  private static final Pattern PARAM = Pattern.compile("(?<![:\\w]):([a-z_][a-z0-9_]*)");

  /** One statement, with its parameters in positional order. */
  public record Statement(String name, String sql, List<String> parameters) {

    /** Binds named values; every parameter must be present (null is a value). */
    public Tuple tuple(Map<String, ?> values) {
      Tuple tuple = Tuple.tuple();
      for (String p : parameters) {
        if (!values.containsKey(p)) {
          throw new IllegalArgumentException("statement " + name + " needs parameter :" + p);
        }
        tuple.addValue(values.get(p));
      }
      return tuple;
    }
  }

  private final String resource;
  private final Map<String, Statement> statements;

  private NamedSql(String resource, Map<String, Statement> statements) {
    this.resource = resource;
    this.statements = statements;
  }

  /** Loads {@code sql/<file>.sql} from the class path. */
  public static NamedSql load(String file) {
    String resource = "sql/" + file + ".sql";
    try (InputStream in = NamedSql.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing SQL resource " + resource);
      }
      return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static NamedSql parse(String resource, String text) {
    Map<String, StringBuilder> bodies = new LinkedHashMap<>();
    StringBuilder current = null;
    for (String line : text.split("\n")) {
      Matcher m = NAME.matcher(line.strip());
      if (m.matches()) {
        if (bodies.containsKey(m.group(1))) {
          throw new IllegalStateException(resource + ": statement " + m.group(1) + " defined twice");
        }
        current = new StringBuilder();
        bodies.put(m.group(1), current);
      } else if (current != null && !line.strip().startsWith("--")) {
        current.append(line).append('\n');
      }
    }
    Map<String, Statement> statements = new LinkedHashMap<>();
    bodies.forEach((name, body) -> statements.put(name, toPositional(name, body.toString().strip())));
    return new NamedSql(resource, Collections.unmodifiableMap(statements));
  }

  private static Statement toPositional(String name, String sql) {
    List<String> params = new ArrayList<>();
    Matcher m = PARAM.matcher(sql);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      int index = params.indexOf(m.group(1));
      if (index < 0) {
        params.add(m.group(1));
        index = params.size() - 1;
      }
      m.appendReplacement(out, "\\$" + (index + 1));
    }
    m.appendTail(out);
    return new Statement(name, out.toString(), List.copyOf(params));
  }

  /** Runs statement {@code name} on {@code conn} with its named values: the one way stores execute SQL. */
  public Future<RowSet<Row>> run(SqlConnection conn, String name, Map<String, ?> values) {
    Statement s = get(name);
    return conn.preparedQuery(s.sql()).execute(s.tuple(values));
  }

  public Statement get(String name) {
    Statement s = statements.get(name);
    if (s == null) {
      throw new IllegalStateException(resource + " has no statement named " + name);
    }
    return s;
  }
}
