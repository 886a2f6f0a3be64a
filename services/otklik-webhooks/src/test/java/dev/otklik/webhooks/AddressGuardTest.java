package dev.otklik.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AddressGuardTest {

  private final AddressGuard strict = new AddressGuard(false);

  @Test
  @DisplayName("loopback, private, link-local and metadata addresses and a name resolving to loopback are refused")
  void internalAddressesAreRefused() {
    for (String url : new String[] {"http://127.0.0.1:8080/x", "http://10.0.0.1/x", "http://169.254.169.254/latest",
        "http://localhost:9999/x", "http://[::1]/x", "http://192.168.1.10/", "http://172.16.0.5/",
        "http://100.64.0.1/", "http://0.0.0.0/", "http://[fd00:ec2::254]/", "http://[::ffff:127.0.0.1]/",
        "http://[fe80::1]/"}) {
      assertThatThrownBy(() -> strict.check(url)).as(url).isInstanceOf(AddressGuard.Refused.class)
          .extracting(e -> ((AddressGuard.Refused) e).code()).isEqualTo("webhook.url-forbidden");
    }
  }

  @Test
  @DisplayName("with the loopback allowance only loopback opens: private and metadata addresses stay refused")
  void loopbackAllowanceOpensOnlyLoopback() throws Exception {
    AddressGuard lax = new AddressGuard(true);
    assertThat(lax.check("http://127.0.0.1:8080/hook?a=b").pathAndQuery()).isEqualTo("/hook?a=b");
    assertThat(lax.check("http://localhost:8080/hook").address().isLoopbackAddress()).isTrue();
    assertThatThrownBy(() -> lax.check("http://10.0.0.1/")).isInstanceOf(AddressGuard.Refused.class);
    assertThatThrownBy(() -> lax.check("http://169.254.169.254/")).isInstanceOf(AddressGuard.Refused.class);
  }

  @Test
  @DisplayName("every resolved address is checked: one private answer among public ones refuses the name")
  void everyResolvedAddressIsChecked() throws Exception {
    AddressGuard guard = new AddressGuard(false, host -> new InetAddress[] {
        InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.1.2.3")});
    assertThatThrownBy(() -> guard.check("https://rebind.example/")).isInstanceOf(AddressGuard.Refused.class);
    AddressGuard publicOnly = new AddressGuard(false, host -> new InetAddress[] {
        InetAddress.getByName("93.184.216.34")});
    AddressGuard.Target t = publicOnly.check("https://hooks.example/in");
    assertThat(t.address().getHostAddress()).isEqualTo("93.184.216.34");
    assertThat(t.host()).isEqualTo("hooks.example");
    assertThat(t.port()).isEqualTo(443);
    assertThat(t.ssl()).isTrue();
  }

  @Test
  @DisplayName("only absolute http(s) URLs without user info are accepted")
  void malformedUrlsAreRefused() {
    for (String url : new String[] {"ftp://example.com/", "/relative", "http://user:pw@example.com/", "", "nope"}) {
      assertThatThrownBy(() -> AddressGuard.parse(url)).as(url).isInstanceOf(AddressGuard.Refused.class)
          .extracting(e -> ((AddressGuard.Refused) e).code()).isEqualTo("webhook.url-invalid");
    }
  }
}
