package net.goldentooth.provisioner.jobs;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.TreeMap;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.TargetState;
import net.goldentooth.events.job.TargetStatus;

/** One target's mutable state inside the engine; only the engine touches it, under its lock. */
final class Target {

    /** The job's id: the engine finds the job by it (a reference back would tie this class to Job). */
    final String jobId;
    final String node;
    final String taskId;
    /** Who runs the task: an agent, or the provisioner's SSH executor. */
    Via via = Via.AGENT;
    TargetState state = TargetState.PENDING;
    Integer exitCode;
    Long durationMs;
    String reason;
    final StringBuilder stdout = new StringBuilder();
    final StringBuilder stderr = new StringBuilder();
    long outputBytes;
    boolean truncated;
    Instant updatedAt;
    Long lastSeq;
    /** When it becomes unreachable if still dispatched, and timed-out if still accepted or running. */
    Instant acceptBy;
    Instant runBy;
    /** Records that arrived ahead of a gap in seq, held until the gap fills or the reorder wait ends. */
    final TreeMap<Long, JobProgress> early = new TreeMap<>();
    Instant earlySince;
    /** The last snapshot, reused until this target changes: snapshots of big jobs copy no output twice. */
    private TargetStatus snapshot;

    Target(String jobId, String node, String taskId, Instant now) {
        this.jobId = jobId;
        this.node = node;
        this.taskId = taskId;
        this.updatedAt = now;
    }

    long nextSeq() {
        return lastSeq == null ? 0 : lastSeq + 1;
    }

    void changed(Instant now) {
        updatedAt = now;
        snapshot = null;
    }

    /** Appends output within the per-target budget; what does not fit is dropped and marked. */
    void append(String stream, String data, int maxBytes) {
        if (data == null || data.isEmpty()) {
            return;
        }
        StringBuilder into = "stderr".equals(stream) ? stderr : stdout;
        long room = maxBytes - outputBytes;
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= room) {
            into.append(data);
            outputBytes += bytes.length;
            return;
        }
        truncated = true;
        if (room <= 0) {
            return;
        }
        // Cut on a character boundary: back off over UTF-8 continuation bytes.
        int cut = (int) room;
        while (cut > 0 && (bytes[cut] & 0xC0) == 0x80) {
            cut--;
        }
        into.append(new String(bytes, 0, cut, StandardCharsets.UTF_8));
        outputBytes += cut;
    }

    TargetStatus snapshot() {
        if (snapshot == null) {
            snapshot = new TargetStatus(node, state, taskId, via.wire(), exitCode, durationMs, reason,
                    stdout.isEmpty() ? null : stdout.toString(), stderr.isEmpty() ? null : stderr.toString(),
                    truncated, updatedAt, lastSeq);
        }
        return snapshot;
    }
}
