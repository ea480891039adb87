package net.goldentooth.events.job;

import java.time.Instant;

/**
 * One node's share of a job: the body that the provisioner signs. An agent runs it only when the
 * signature is valid, {@code node} is its own name, now lies in {@code [notBefore, expiresAt)} and
 * {@code taskId} has never been seen before.
 */
public record Task(String jobId, String taskId, String node, TaskSpec spec, Instant notBefore, Instant expiresAt) {
}
