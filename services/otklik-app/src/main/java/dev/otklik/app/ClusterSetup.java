package dev.otklik.app;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Hazelcast for the Vert.x cluster. Starts from {@link ConfigUtil#loadConfig()}, which keeps
 * the {@code __vertx.*} maps Vert.x needs, then joins over TCP/IP only: multicast and
 * auto-detection are off (they probe the network), phone-home is off, and join waits are zero
 * so a small cluster forms in seconds. Heartbeats are tuned so a dead node is noticed in about
 * ten seconds rather than Hazelcast's default sixty ({@code cluster.heartbeat},
 * {@code cluster.failure-timeout}). With {@code cluster.kubernetes.service-dns} set, members are
 * found through Hazelcast's built-in Kubernetes discovery (DNS lookup of a headless service)
 * instead of the TCP/IP member list. A {@code cluster.host} of {@code 0.0.0.0} lets Hazelcast
 * pick the interface.
 */
final class ClusterSetup {

  private ClusterSetup() {}

  static HazelcastClusterManager clusterManager(AppOptions options) {
    return new HazelcastClusterManager(config(options));
  }

  /** The Hazelcast configuration for these settings (not started). */
  static Config config(AppOptions options) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName("otklik");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.max.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.heartbeat.interval.seconds",
        Long.toString(options.clusterHeartbeat().getSeconds()));
    config.setProperty("hazelcast.max.no.heartbeat.seconds",
        Long.toString(options.clusterFailureTimeout().getSeconds()));
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.getNetworkConfig()
        .setPort(options.clusterPort())
        .setPortAutoIncrement(true);
    if (!"0.0.0.0".equals(options.clusterHost())) {
      config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(options.clusterHost());
    }
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (options.clusterKubernetesServiceDns() != null) {
      join.getTcpIpConfig().setEnabled(false);
      join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-dns", options.clusterKubernetesServiceDns())
          .setProperty("service-port", Integer.toString(options.clusterPort()));
    } else {
      join.getTcpIpConfig().setEnabled(true).setMembers(options.clusterMembers());
    }
    return config;
  }
}
