package net.goldentooth.provisioner.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import net.goldentooth.events.api.JobSummary;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.TargetState;
import net.goldentooth.events.job.TargetStatus;

/** One job's mutable state inside the engine; only the engine touches it, under its lock. */
final class Job {

    final String id;
    /** The job's partition of {@code job.progress} and {@code job.status}: the unit of ownership. */
    final int partition;
    final JobRequest request;
    final Instant createdAt;
    final Duration timeout;
    final int window;
    final Map<String, Target> targets = new LinkedHashMap<>();
    final ArrayDeque<Target> pending = new ArrayDeque<>();
    final EnumMap<TargetState, Integer> counts = new EnumMap<>(TargetState.class);
    JobState state = JobState.RUNNING;
    Instant updatedAt;
    Instant deadline;
    long revision;
    int outstanding;
    /** Changed since the last publication; {@code terminalChange} when the job state moved to or between terminal states. */
    boolean dirty;
    boolean terminalChange;
    Instant lastPublishedAt;

    Job(String id, JobRequest request, Instant createdAt, Duration timeout, int window) {
        this.id = id;
        this.partition = JobEngine.partitionOf(id);
        this.request = request;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
        this.timeout = timeout;
        this.window = window;
    }

    void count(TargetState from, TargetState to) {
        if (from != null) {
            counts.merge(from, -1, Integer::sum);
        }
        counts.merge(to, 1, Integer::sum);
    }

    int countOf(TargetState state) {
        return counts.getOrDefault(state, 0);
    }

    int terminalCount() {
        int n = 0;
        for (Map.Entry<TargetState, Integer> e : counts.entrySet()) {
            if (e.getKey().terminal()) {
                n += e.getValue();
            }
        }
        return n;
    }

    /** Running until every target is terminal, then succeeded only if every target succeeded. */
    JobState derivedState() {
        int n = targets.size();
        if (terminalCount() < n) {
            return JobState.RUNNING;
        }
        return countOf(TargetState.SUCCEEDED) == n ? JobState.SUCCEEDED : JobState.FAILED;
    }

    JobStatus snapshot() {
        Map<String, TargetStatus> out = new LinkedHashMap<>(targets.size() * 2);
        for (Target t : targets.values()) {
            out.put(t.node, t.snapshot());
        }
        return new JobStatus(id, request, state, createdAt, updatedAt, deadline, Collections.unmodifiableMap(out),
                revision);
    }

    JobSummary summary() {
        Map<String, Integer> byState = new LinkedHashMap<>();
        counts.forEach((s, n) -> {
            if (n > 0) {
                byState.put(s.wire(), n);
            }
        });
        return new JobSummary(id, request.kind(), request.pattern(), request.command(), state, request.requestedBy(),
                createdAt, updatedAt, targets.size(), byState);
    }
}
