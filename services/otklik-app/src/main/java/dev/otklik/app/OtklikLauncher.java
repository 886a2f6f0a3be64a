package dev.otklik.app;

import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar otklik-app.jar [--key=value ...]}: starts one node and keeps it running until
 * SIGTERM or Ctrl-C, then stops it cleanly (HTTP closed, pool closed, embedded database shut
 * down). Exit code 1 when the node cannot start; the reason is printed.
 */
public final class OtklikLauncher {

  private static final Logger LOG = LoggerFactory.getLogger(OtklikLauncher.class);

  private OtklikLauncher() {}

  public static void main(String[] args) {
    AppOptions options;
    try {
      Map<String, String> props = new HashMap<>();
      System.getProperties().forEach((k, v) -> props.put(String.valueOf(k), String.valueOf(v)));
      options = AppOptions.load(System.getenv(), props, args);
    } catch (IllegalArgumentException e) {
      System.err.println("otklik: " + e.getMessage());
      System.exit(2);
      return;
    }
    OtklikNode node;
    try {
      node = OtklikNode.start(options);
    } catch (Exception e) {
      LOG.error("Otklik could not start: {}", e.getMessage(), e);
      System.err.println("otklik: could not start: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(node::stop, "otklik-shutdown"));
    System.out.println("Otklik is listening on http://localhost:" + node.httpPort()
        + "/  (tenants: http://localhost:" + node.httpPort() + "/api/v1/tenants)");
  }
}
