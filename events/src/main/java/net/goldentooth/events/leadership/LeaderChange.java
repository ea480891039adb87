package net.goldentooth.events.leadership;

import java.time.Instant;

/**
 * Published on {@code service.leadership} (key: the election's group) by an instance when it starts
 * to lead: who leads which service, since when, under which group generation. The election itself
 * needs no record (the consumer group's assignment decides); this is the audit trail an operator
 * (and a failover test) reads to see each handover.
 *
 * @param group      the election, one per service role: {@code monitor-delivery}, {@code storage-planner}
 * @param member     the instance that now leads (host and port)
 * @param generation the consumer group's generation when it was confirmed; grows with every handover
 * @param since      the instance's clock when its lease was first confirmed
 */
public record LeaderChange(String group, String member, int generation, Instant since) {
}
