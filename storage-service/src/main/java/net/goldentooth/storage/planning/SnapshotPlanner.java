package net.goldentooth.storage.planning;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.goldentooth.storage.policy.DatasetPolicy;
import net.goldentooth.storage.policy.Period;
import net.goldentooth.storage.policy.Retention;
import net.goldentooth.storage.policy.Schedule;
import net.goldentooth.storage.policy.Snapshot;
import net.goldentooth.storage.policy.SnapshotName;

/**
 * The pure planner: (snapshots, policy, replication cursors, now) → what to take and destroy.
 * Retention is sanoid's ({@link Retention}); on top of it the newest snapshot each enabled
 * target shares with the source is never destroyed, because losing it forces a full resend.
 */
public final class SnapshotPlanner {

    private final ZoneId zone;

    /** @param zone the node's zone: snapshot names and preferred times are local, as with sanoid */
    public SnapshotPlanner(ZoneId zone) {
        this.zone = zone;
    }

    public SnapshotPlan plan(String dataset, List<Snapshot> snapshots, DatasetPolicy policy,
                             List<ReplicationCursor> cursors, Instant now) {
        List<String> take = policy.autosnap() ? due(snapshots, policy, now) : List.of();
        Set<String> prunable = Retention.prunable(snapshots, policy, now);
        List<String> unknown = cursors.stream().filter(c -> c.enabled() && !c.known())
                .map(ReplicationCursor::target).toList();
        if (!unknown.isEmpty()) {
            String reason = "pruning deferred: the replication base on " + String.join(", ", unknown)
                    + " is unknown (target unreachable)";
            return new SnapshotPlan(dataset, now, take, List.of(),
                    prunable.stream().map(name -> new KeptSnapshot(name, reason)).toList());
        }
        Map<String, List<String>> protectedFor = new LinkedHashMap<>();
        for (ReplicationCursor cursor : cursors) {
            if (cursor.enabled() && cursor.newest() != null && prunable.contains(cursor.newest())) {
                protectedFor.computeIfAbsent(cursor.newest(), k -> new ArrayList<>()).add(cursor.target());
            }
        }
        List<String> destroy = new ArrayList<>(prunable.size());
        for (String name : prunable) {
            if (!protectedFor.containsKey(name)) {
                destroy.add(name);
            }
        }
        List<KeptSnapshot> kept = new ArrayList<>();
        protectedFor.forEach((name, targets) -> kept.add(new KeptSnapshot(name,
                "past retention but the newest snapshot shared with " + String.join(", ", targets)
                        + " (replication base; destroying it would force a full resend)")));
        return new SnapshotPlan(dataset, now, take, destroy, kept);
    }

    /** One name per period whose newest snapshot is older than the period's latest preferred time. */
    private List<String> due(List<Snapshot> snapshots, DatasetPolicy policy, Instant now) {
        Map<Period, Instant> newest = new EnumMap<>(Period.class);
        for (Snapshot snapshot : snapshots) {
            snapshot.period().ifPresent(p -> newest.merge(p, snapshot.created(),
                    (a, b) -> a.isAfter(b) ? a : b));
        }
        List<String> take = new ArrayList<>();
        for (Period period : Period.values()) {
            if (policy.retain(period) <= 0) {
                continue;
            }
            Instant preferred = lastPreferred(period, policy.schedule(), now);
            Instant latest = newest.get(period);
            if (latest == null || latest.isBefore(preferred)) {
                take.add(SnapshotName.of(now, zone, period).format());
            }
        }
        return take;
    }

    /** Sanoid's "most recent preferred snapshot time" of a period, at or before {@code now}. */
    Instant lastPreferred(Period period, Schedule s, Instant now) {
        ZonedDateTime local = now.atZone(zone);
        LocalDate today = local.toLocalDate();
        ZonedDateTime preferred;
        Duration back;
        switch (period) {
            case FREQUENTLY -> {
                int slice = local.getMinute() / s.frequentPeriodMinutes() * s.frequentPeriodMinutes();
                preferred = at(today, local.getHour(), slice);
                back = Duration.ofMinutes(s.frequentPeriodMinutes());
            }
            case HOURLY -> {
                preferred = at(today, local.getHour(), s.hourlyMin());
                back = Duration.ofHours(1);
            }
            case DAILY -> {
                preferred = at(today, s.dailyHour(), s.dailyMin());
                back = Duration.ofDays(1);
            }
            case WEEKLY -> {
                int todayWday = local.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : local.getDayOfWeek().getValue();
                int offset = (s.weeklyWday() < todayWday ? 7 : 0) + s.weeklyWday() - todayWday;
                preferred = at(today.plusDays(offset), s.weeklyHour(), s.weeklyMin());
                back = Duration.ofDays(7);
            }
            case MONTHLY -> {
                int mday = Math.min(s.monthlyMday(), today.lengthOfMonth());
                preferred = at(today.withDayOfMonth(mday), s.monthlyHour(), s.monthlyMin());
                back = Duration.ofDays(31);
            }
            case YEARLY -> {
                LocalDate month = today.withMonth(s.yearlyMon()).withDayOfMonth(1);
                int mday = Math.min(s.yearlyMday(), month.lengthOfMonth());
                preferred = at(month.withDayOfMonth(mday), s.yearlyHour(), s.yearlyMin());
                if (preferred.toInstant().isAfter(now)) {
                    preferred = preferred.minusYears(1);
                }
                return preferred.toInstant();
            }
            default -> throw new IllegalStateException("unhandled period " + period);
        }
        Instant instant = preferred.toInstant();
        return instant.isAfter(now) ? instant.minus(back) : instant;
    }

    private ZonedDateTime at(LocalDate date, int hour, int minute) {
        return date.atTime(hour, minute).atZone(zone);
    }
}
