package dev.otklik.bench;

import dev.otklik.core.auth.Role;
import dev.otklik.core.sla.SlaClocks;
import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.core.time.DeadlineCalculator;
import dev.otklik.store.DatabaseEndpoint;
import dev.otklik.store.DatabaseOptions;
import dev.otklik.store.PgPools;
import dev.otklik.store.TenantTransactions;
import dev.otklik.store.TicketStore;
import dev.otklik.tenant.TenantRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;

/**
 * The floor under the Otklik scenarios: the same {@link TicketStore} calls a node makes for a
 * create and a read (the same statements, pipelining, row-level security, event, outbox, SLA
 * deadline and timer rows, as the application role), behind a minimal HTTP server like
 * {@link CeilingServer}: no JWT, no routing framework, no validation, a one-field reply. Its ratio
 * to the ceiling is the most a node can reach with this data model; the node's own ratio below it
 * is what the API layer costs.
 *
 * <p>{@code POST /create} files a request for АСМО from the JSON body (subject, description, service,
 * priority, form); {@code GET /read/:number} reads one with its deadlines and watchers. The caller is
 * in the Authorization header, in plain where a node takes a token:
 * {@code Floor <user id>,<role>,<organisation id or ->}.
 *
 * <p>{@code java -cp otklik-bench.jar dev.otklik.bench.StoreFloorServer <db.url> <port> <instances>
 * <pool-size> <tenant-config dir>}, the database URL as a node's {@code --db.url}; prints
 * {@code store floor listening on <port>}.
 */
public final class StoreFloorServer extends BareServer {

  static final String TENANT = "asmo";

  private final TicketStore store;
  private final TenantConfig tenant;
  private final SlaClocks sla;

  private StoreFloorServer(TicketStore store, TenantConfig tenant, SlaClocks sla, int port) {
    super(port);
    this.store = store;
    this.tenant = tenant;
    this.sla = sla;
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[1]);
    int instances = Integer.parseInt(args[2]);
    int poolSize = Integer.parseInt(args[3]);
    // the node's own reading of --db.url: the application role, so row-level security applies
    DatabaseEndpoint endpoint = DatabaseEndpoint.fromUrl(new DatabaseOptions(args[0], DatabaseOptions.DEFAULT_APP_USER,
        "otklik", null, null, poolSize, null, 0));
    Vertx vertx = Vertx.vertx();
    Pool pool = PgPools.create(vertx, endpoint, poolSize);
    TicketStore store = new TicketStore(new TenantTransactions(pool), Clock.systemUTC());
    launch(vertx, new TenantRegistry(vertx, Path.of(args[4])).loadInitial().map(snapshot -> {
      TenantConfig tenant = snapshot.tenants().get(TENANT).value();
      // the clocks as a node builds them (TicketHandler.sla), once: the tenant does not change here
      SlaClocks sla = new SlaClocks(tenant.sla(), new DeadlineCalculator(
          snapshot.businessCalendar(TENANT).orElseThrow(), tenant.releases()), tenant.workflow().timers());
      return () -> new StoreFloorServer(store, tenant, sla, port);
    }), instances, "store floor listening on " + port);
  }

  @Override
  void handle(HttpServerRequest req) {
    String who = req.getHeader("Authorization");
    if (who == null || !who.startsWith("Floor ")) {
      req.response().setStatusCode(400).end("Authorization: Floor <user id>,<role>,<organisation id or ->");
      return;
    }
    TicketStore.Caller caller = caller(who);
    if (req.path().equals("/create")) {
      req.body().compose(body -> {
            JsonObject in = body.toJsonObject();
            return store.create(TENANT, caller, new TicketStore.NewTicket(tenant.requestNumberPrefix(),
                tenant.calendar().timeZone(), "portal", null, null, in.getString("priority"), null,
                in.getString("service"), in.getString("subject"), in.getString("description"),
                in.getJsonObject("form"), caller.organisationId(), caller.userId(), null, null, null), sla);
          })
          .onSuccess(change -> req.response().setStatusCode(201).putHeader("Content-Type", "application/json")
              .end(new JsonObject().put("number", change.value().number()).encode()))
          .onFailure(e -> req.response().setStatusCode(500).end(String.valueOf(e.getMessage())));
    } else if (req.path().startsWith("/read/")) {
      store.findWithDeadlines(TENANT, caller, req.path().substring("/read/".length()))
          .onSuccess(found -> {
            if (found.isEmpty()) {
              req.response().setStatusCode(404).end();
              return;
            }
            req.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                .put("number", found.get().ticket().number()).put("deadlines", found.get().deadlines().size())
                .encode());
          })
          .onFailure(e -> req.response().setStatusCode(500).end(String.valueOf(e.getMessage())));
    } else {
      req.response().setStatusCode(404).end();
    }
  }

  private static TicketStore.Caller caller(String header) {
    String[] parts = header.substring("Floor ".length()).split(",");
    return new TicketStore.Caller(UUID.fromString(parts[0]), Role.ofCode(parts[1]),
        parts[2].equals("-") ? null : UUID.fromString(parts[2]));
  }
}
