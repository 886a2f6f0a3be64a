package dev.otklik.core.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class SlaDurationPropertyTest {

  @Property
  @Label("Any amount with any amount unit formats to text that parses back to it")
  void amountDurationsRoundTrip(
      @ForAll @IntRange(min = 1, max = 999_999_999) int amount, @ForAll("amountUnits") DurationUnit unit) {
    SlaDuration duration = SlaDuration.of(amount, unit);

    assertThat(SlaDuration.parse(duration.toString())).isEqualTo(duration);
  }

  @Provide
  Arbitrary<DurationUnit> amountUnits() {
    return Arbitraries.of(DurationUnit.amountUnits());
  }
}
