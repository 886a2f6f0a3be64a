package dev.otklik.core.sla;

import dev.otklik.core.tenant.Side;
import dev.otklik.core.tenant.TargetType;
import dev.otklik.core.time.BusinessCalendar;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The SLA report over the stored deadlines of a period's requests, per category and priority:
 * how many requests, met and breached counts per target type, median and 90th percentile of
 * reaction and resolution in business seconds, and customer delays (customer-side clocks that
 * were breached). Pure: the store reads the rows, this adds them up.
 *
 * <p>Business time of a stopped clock: {@link BusinessCalendar#workingTimeBetween} from
 * {@code started_at} to {@code met_at} (the stop instant, also set for a clock breached and stopped
 * late), less the pauses it recorded, never below zero. Percentiles are nearest-rank.
 */
public final class SlaReport {

  /** One deadline row of a request in the period; a request without deadlines has one row with null type. */
  public record Row(UUID ticketId, String category, String priority, TargetType type, Side side, ClockStatus status,
      Instant startedAt, Instant stoppedAt, long pausedSeconds) {}

  /** Figures of one category x priority (either may be null: not set). */
  public record Group(String category, String priority, int requests, Map<TargetType, int[]> metAndBreached,
      Long reactionMedian, Long reactionP90, Long resolutionMedian, Long resolutionP90, int customerDelays) {

    public int met(TargetType type) {
      return metAndBreached.getOrDefault(type, new int[2])[0];
    }

    public int breached(TargetType type) {
      return metAndBreached.getOrDefault(type, new int[2])[1];
    }
  }

  /** The groups, sorted by category then priority (nulls last), and every target type that occurs. */
  public record Result(List<Group> groups, Set<TargetType> types) {}

  private SlaReport() {}

  public static Result of(List<Row> rows, BusinessCalendar calendar) {
    Objects.requireNonNull(calendar, "calendar");
    Map<List<String>, List<Row>> byGroup = new TreeMap<>((a, b) -> {
      int c = compare(a.get(0), b.get(0));
      return c != 0 ? c : compare(a.get(1), b.get(1));
    });
    Set<TargetType> types = new TreeSet<>();
    for (Row r : rows) {
      byGroup.computeIfAbsent(java.util.Arrays.asList(r.category(), r.priority()), k -> new ArrayList<>()).add(r);
      if (r.type() != null) {
        types.add(r.type());
      }
    }
    List<Group> groups = new ArrayList<>();
    byGroup.forEach((key, list) -> {
      Set<UUID> requests = new HashSet<>();
      Map<TargetType, int[]> counts = new TreeMap<>();
      List<Long> reaction = new ArrayList<>();
      List<Long> resolution = new ArrayList<>();
      int customerDelays = 0;
      for (Row r : list) {
        requests.add(r.ticketId());
        if (r.type() == null || r.status() == null) {
          continue;
        }
        if (r.status() == ClockStatus.MET) {
          counts.computeIfAbsent(r.type(), t -> new int[2])[0]++;
        } else if (r.status() == ClockStatus.BREACHED) {
          counts.computeIfAbsent(r.type(), t -> new int[2])[1]++;
          if (r.side() == Side.CUSTOMER) {
            customerDelays++;
          }
        }
        if (r.startedAt() != null && r.stoppedAt() != null) {
          long seconds = Math.max(0, calendar.workingTimeBetween(r.startedAt(), r.stoppedAt()).getSeconds()
              - r.pausedSeconds());
          if (r.type() == TargetType.REACTION) {
            reaction.add(seconds);
          } else if (r.type() == TargetType.RESOLUTION) {
            resolution.add(seconds);
          }
        }
      }
      groups.add(new Group(key.get(0), key.get(1), requests.size(), counts, percentile(reaction, 50),
          percentile(reaction, 90), percentile(resolution, 50), percentile(resolution, 90), customerDelays));
    });
    return new Result(groups, types);
  }

  /** Nearest-rank percentile; null for no values. */
  static Long percentile(List<Long> values, int p) {
    if (values.isEmpty()) {
      return null;
    }
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  private static int compare(String a, String b) {
    if (Objects.equals(a, b)) {
      return 0;
    }
    if (a == null) {
      return 1;
    }
    if (b == null) {
      return -1;
    }
    return a.compareTo(b);
  }
}
