package dev.otklik.app;

import dev.otklik.store.DatabaseOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting of a node, read once at start. Each key can be given as an environment variable
 * ({@code OTKLIK_HTTP_PORT}), a system property ({@code -Dotklik.http.port}) or a command-line
 * argument ({@code --http.port=8080}); later sources win in that order. {@link #KEYS} documents
 * them all, and the README's configuration table is checked against it by a test.
 */
public record AppOptions(
    String httpHost,
    int httpPort,
    int httpInstances,
    long bodyLimitBytes,
    Path tenantConfigDir,
    Duration tenantReloadInterval,
    Path dataDir,
    DatabaseOptions database,
    boolean clustered,
    String clusterHost,
    int clusterPort,
    List<String> clusterMembers,
    Duration clusterHeartbeat,
    Duration clusterFailureTimeout,
    String clusterKubernetesServiceDns,
    String adminToken,
    String jwtSecret,
    String jwtIssuer,
    String jwtAudience,
    int rateLimitPerUserPerMinute,
    int rateLimitPerTenantPerMinute,
    Mail mail,
    Webhooks webhooks,
    String publicUrl) {

  /**
   * Webhook settings. {@code allowLoopback}: endpoints may point at loopback addresses (tests and
   * local trials only); private, link-local and metadata addresses stay refused.
   */
  public record Webhooks(boolean allowLoopback, Duration dispatchInterval) {}

  /**
   * Mail settings. {@code smtpHost} null: notifications wait in the outbox, unsent.
   * {@code imapHost} null: no mailbox is polled (raw MIME can still be posted over HTTP). Each
   * tenant's mailbox logs in as the tenant's support address with {@code imapPassword}.
   */
  public record Mail(String smtpHost, int smtpPort, String smtpUser, String smtpPassword, String smtpStartTls,
      String hostname, Duration dispatchInterval, String imapHost, int imapPort, boolean imapSsl,
      String imapPassword, Duration pollInterval) {}

  /** Key, default, meaning. */
  public static final Map<String, String[]> KEYS = new LinkedHashMap<>();

  static {
    key("http.host", "0.0.0.0", "interface the HTTP server binds");
    key("http.port", "8080", "HTTP port (0 picks a free port; the chosen one is printed)");
    key("http.instances", "number of cores", "HTTP server verticle instances");
    key("http.body-limit", "1048576", "largest request body in bytes (413 above)");
    key("tenant-config", "./tenant-config", "directory of tenant files, calendars and schema");
    key("tenant-reload-interval", "PT2S", "how often the tenant directory is checked for changes (ISO-8601; PT0S = never)");
    key("data-dir", "./.otklik", "where the embedded PostgreSQL keeps its data (survives restarts)");
    key("db.url", "(embedded)", "postgresql://host:port/db of an external server; unset = embedded PostgreSQL");
    key("db.user", "otklik_app", "role the application connects as (no superuser, no BYPASSRLS)");
    key("db.password", "otklik", "its password");
    key("db.migration-user", "db.user (embedded: postgres)", "schema owner role used by Flyway migrations");
    key("db.migration-password", "db.password", "its password");
    key("db.pool-size", "8", "reactive connections per node");
    key("db.embedded-port", "0", "port of the embedded PostgreSQL (0 = any free port)");
    key("cluster", "false", "join or form a Hazelcast cluster");
    key("cluster.host", "127.0.0.1", "address Hazelcast binds and advertises");
    key("cluster.port", "5701", "Hazelcast port (the next free one is taken if busy)");
    key("cluster.members", "127.0.0.1", "comma-separated host[:port] list to join over TCP/IP");
    key("cluster.heartbeat", "PT1S", "how often Hazelcast members send heartbeats (ISO-8601, whole seconds)");
    key("cluster.failure-timeout", "PT10S", "a member silent this long is removed from the cluster (ISO-8601, whole seconds)");
    key("cluster.kubernetes.service-dns", "(none)", "headless service DNS name for Hazelcast's Kubernetes discovery; set = used instead of cluster.members");
    key("admin-token", "(none)", "bearer token for platform admin calls such as tenant reload; unset = refused");
    key("public-url", "http://localhost:<http.port>", "where people reach this desk; the base of links in mail (password reset)");
    key("jwt.secret", "(generated into data-dir)", "HS256 key for access tokens, at least 32 bytes; every node of a cluster needs the same");
    key("jwt.issuer", "otklik", "iss claim of access tokens");
    key("jwt.audience", "otklik-api", "aud claim of access tokens");
    key("rate-limit.per-user-per-minute", "600", "requests one user or API key may make per minute, per node (429 above; 0 = no limit)");
    key("rate-limit.per-tenant-per-minute", "6000", "requests all callers of one tenant may make per minute, per node (429 above; 0 = no limit)");
    key("mail.smtp.host", "(none)", "SMTP server notifications are sent through; unset = mail waits in the outbox");
    key("mail.smtp.port", "25", "its port");
    key("mail.smtp.user", "(none)", "SMTP login; unset = no authentication");
    key("mail.smtp.password", "(none)", "its password");
    key("mail.smtp.starttls", "optional", "disabled, optional or required");
    key("mail.hostname", "otklik.local", "host name the node gives in SMTP EHLO");
    key("mail.dispatch-interval", "PT2S", "how often the mail outbox is checked for due mail (ISO-8601)");
    key("mail.imap.host", "(none)", "IMAP server holding the tenants' support mailboxes; unset = no polling");
    key("mail.imap.port", "143", "its port");
    key("mail.imap.ssl", "false", "IMAP over TLS (imaps)");
    key("mail.imap.password", "(none)", "password of every tenant mailbox (the login is the tenant's support address)");
    key("mail.poll-interval", "PT30S", "how often the mailboxes are polled (ISO-8601)");
    key("webhooks.allow-loopback", "false", "let webhook endpoints point at loopback addresses (tests and local trials; private, link-local and metadata addresses stay refused)");
    key("webhooks.dispatch-interval", "PT0.5S", "how often due webhook deliveries are looked for (ISO-8601)");
  }

  private static void key(String name, String defaultValue, String meaning) {
    KEYS.put(name, new String[] {defaultValue, meaning});
  }

  /** The environment variable for a key: {@code db.pool-size} -> {@code OTKLIK_DB_POOL_SIZE}. */
  public static String envName(String key) {
    return "OTKLIK_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  public static AppOptions load(Map<String, String> env, Map<String, String> sysProps, String[] args) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String key : KEYS.keySet()) {
      String fromEnv = env.get(envName(key));
      if (fromEnv != null) {
        values.put(key, fromEnv);
      }
      String fromProp = sysProps.get("otklik." + key);
      if (fromProp != null) {
        values.put(key, fromProp);
      }
    }
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("arguments look like --key=value, got " + arg);
      }
      String key = arg.substring(2, arg.indexOf('='));
      if (!KEYS.containsKey(key)) {
        throw new IllegalArgumentException("unknown setting " + key + "; known: " + KEYS.keySet());
      }
      values.put(key, arg.substring(arg.indexOf('=') + 1));
    }
    return from(values);
  }

  static AppOptions from(Map<String, String> v) {
    Path dataDir = Path.of(v.getOrDefault("data-dir", "./.otklik")).toAbsolutePath().normalize();
    String url = blankToNull(v.get("db.url"));
    String appUser = v.getOrDefault("db.user", DatabaseOptions.DEFAULT_APP_USER);
    String appPassword = v.getOrDefault("db.password", "otklik");
    DatabaseOptions db = new DatabaseOptions(
        url,
        appUser,
        appPassword,
        v.getOrDefault("db.migration-user", url == null ? "postgres" : appUser),
        v.getOrDefault("db.migration-password", url == null ? "" : appPassword),
        intValue(v, "db.pool-size", 8, 1, 1000),
        dataDir.resolve("pgdata"),
        intValue(v, "db.embedded-port", 0, 0, 65535));
    List<String> members = new ArrayList<>();
    for (String m : v.getOrDefault("cluster.members", "127.0.0.1").split(",")) {
      if (!m.isBlank()) {
        members.add(m.strip());
      }
    }
    return new AppOptions(
        v.getOrDefault("http.host", "0.0.0.0"),
        intValue(v, "http.port", 8080, 0, 65535),
        intValue(v, "http.instances", Runtime.getRuntime().availableProcessors(), 1, 256),
        intValue(v, "http.body-limit", 1_048_576, 1024, Integer.MAX_VALUE),
        Path.of(v.getOrDefault("tenant-config", "./tenant-config")).toAbsolutePath().normalize(),
        Duration.parse(v.getOrDefault("tenant-reload-interval", "PT2S")),
        dataDir,
        db,
        Boolean.parseBoolean(v.getOrDefault("cluster", "false")),
        v.getOrDefault("cluster.host", "127.0.0.1"),
        intValue(v, "cluster.port", 5701, 1, 65535),
        List.copyOf(members),
        seconds(v, "cluster.heartbeat", "PT1S"),
        seconds(v, "cluster.failure-timeout", "PT10S"),
        blankToNull(v.get("cluster.kubernetes.service-dns")),
        blankToNull(v.get("admin-token")),
        blankToNull(v.get("jwt.secret")),
        v.getOrDefault("jwt.issuer", "otklik"),
        v.getOrDefault("jwt.audience", "otklik-api"),
        intValue(v, "rate-limit.per-user-per-minute", 600, 0, 1_000_000),
        intValue(v, "rate-limit.per-tenant-per-minute", 6000, 0, 10_000_000),
        new Mail(blankToNull(v.get("mail.smtp.host")), intValue(v, "mail.smtp.port", 25, 1, 65535),
            blankToNull(v.get("mail.smtp.user")), blankToNull(v.get("mail.smtp.password")),
            v.getOrDefault("mail.smtp.starttls", "optional"), v.getOrDefault("mail.hostname", "otklik.local"),
            Duration.parse(v.getOrDefault("mail.dispatch-interval", "PT2S")),
            blankToNull(v.get("mail.imap.host")), intValue(v, "mail.imap.port", 143, 1, 65535),
            Boolean.parseBoolean(v.getOrDefault("mail.imap.ssl", "false")),
            blankToNull(v.get("mail.imap.password")), Duration.parse(v.getOrDefault("mail.poll-interval", "PT30S"))),
        new Webhooks(Boolean.parseBoolean(v.getOrDefault("webhooks.allow-loopback", "false")),
            Duration.parse(v.getOrDefault("webhooks.dispatch-interval", "PT0.5S"))),
        publicUrl(v.get("public-url")));
  }

  private static String publicUrl(String raw) {
    String url = blankToNull(raw);
    if (url != null && !url.matches("https?://[^\\s/]+(/\\S*)?")) {
      throw new IllegalArgumentException("public-url must be an http(s) URL, was " + raw);
    }
    return url;
  }

  private static int intValue(Map<String, String> v, String key, int fallback, int min, int max) {
    String raw = v.get(key);
    if (raw == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.strip());
      if (value < min || value > max) {
        throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", was " + raw);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, was '" + raw + "'");
    }
  }

  /** An ISO-8601 duration of at least one whole second (Hazelcast counts heartbeats in seconds). */
  private static Duration seconds(Map<String, String> v, String key, String fallback) {
    String raw = v.getOrDefault(key, fallback).strip();
    Duration d;
    try {
      d = Duration.parse(raw);
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(key + " must be an ISO-8601 duration such as PT10S, was '" + raw + "'");
    }
    if (d.getSeconds() < 1 || d.getNano() != 0) {
      throw new IllegalArgumentException(key + " must be a whole number of seconds, at least PT1S, was " + raw);
    }
    return d;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
