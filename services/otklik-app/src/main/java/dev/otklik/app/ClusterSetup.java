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
 * ten seconds rather than Hazelcast's default sixty.
 */
final class ClusterSetup {

  private ClusterSetup() {}

  static HazelcastClusterManager clusterManager(AppOptions options) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName("otklik");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.max.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.getNetworkConfig()
        .setPort(options.clusterPort())
        .setPortAutoIncrement(true);
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(options.clusterHost());
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(options.clusterMembers());
    return new HazelcastClusterManager(config);
  }
}
