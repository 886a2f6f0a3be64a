package dev.otklik.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClusterSetupTest {

  @Test
  @DisplayName("heartbeat and failure timeout come from cluster.heartbeat and cluster.failure-timeout; TCP/IP join on the member list by default")
  void heartbeatsAndTcpJoinFromSettings() {
    AppOptions options = AppOptions.load(Map.of(), Map.of(), new String[] {
        "--cluster=true", "--cluster.heartbeat=PT2S", "--cluster.failure-timeout=PT15S",
        "--cluster.members=127.0.0.1:5701,127.0.0.1:5702"});
    assertThat(options.clusterHeartbeat()).isEqualTo(Duration.ofSeconds(2));
    Config config = ClusterSetup.config(options);
    assertThat(config.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("2");
    assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("15");
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1:5701", "127.0.0.1:5702");
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
  }

  @Test
  @DisplayName("defaults are a one-second heartbeat and a ten-second failure timeout")
  void defaults() {
    Config config = ClusterSetup.config(AppOptions.load(Map.of(), Map.of(), new String[0]));
    assertThat(config.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("1");
    assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("10");
  }

  @Test
  @DisplayName("cluster.kubernetes.service-dns switches the join to Hazelcast's Kubernetes discovery through the headless service")
  void kubernetesDiscovery() {
    AppOptions options = AppOptions.load(
        Map.of("OTKLIK_CLUSTER_KUBERNETES_SERVICE_DNS", "otklik-hazelcast.support.svc.cluster.local",
            "OTKLIK_CLUSTER_HOST", "0.0.0.0"),
        Map.of(), new String[0]);
    JoinConfig join = ClusterSetup.config(options).getNetworkConfig().getJoin();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns"))
        .isEqualTo("otklik-hazelcast.support.svc.cluster.local");
    assertThat(join.getKubernetesConfig().getProperty("service-port")).isEqualTo("5701");
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(ClusterSetup.config(options).getNetworkConfig().getInterfaces().isEnabled()).isFalse();
  }

  @Test
  @DisplayName("heartbeat settings must be whole seconds of at least one second")
  void badDurationsAreRefused() {
    assertThatThrownBy(() -> AppOptions.load(Map.of(), Map.of(), new String[] {"--cluster.heartbeat=500ms"}))
        .hasMessageContaining("cluster.heartbeat must be an ISO-8601 duration");
    assertThatThrownBy(() -> AppOptions.load(Map.of(), Map.of(), new String[] {"--cluster.failure-timeout=PT0.5S"}))
        .hasMessageContaining("cluster.failure-timeout must be a whole number of seconds");
  }
}
