package net.goldentooth.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.TargetState;
import net.goldentooth.events.job.TargetStatus;

/** Realistic job statuses for the tests, built the way the provisioner folds them. */
public final class Fixtures {

    public static final Instant CREATED = Instant.parse("2026-11-25T15:00:00Z");

    public static TargetStatus target(String node, TargetState state, Integer exitCode, String stdout, String stderr,
                                      String reason, Long lastSeq) {
        return new TargetStatus(node, state, "task-" + node, "agent", exitCode, exitCode == null ? null : 120L,
                reason, stdout, stderr, false, CREATED.plusSeconds(1), lastSeq);
    }

    public static TargetStatus succeeded(String node, String stdout, long lastSeq) {
        return target(node, TargetState.SUCCEEDED, 0, stdout, null, null, lastSeq);
    }

    public static JobStatus job(String jobId, JobState state, TargetStatus... targets) {
        Map<String, TargetStatus> byNode = new LinkedHashMap<>();
        for (TargetStatus target : targets) {
            byNode.put(target.node(), target);
        }
        JobRequest request = new JobRequest(null, JobKind.COMMAND, "all", "uptime", null, null, null, false, "alice");
        return new JobStatus(jobId, request, state, CREATED, CREATED.plusMillis(2300), CREATED.plusSeconds(60),
                byNode, 3);
    }

    /** A PrintStream whose text can be read back. */
    public static final class Capture {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        public final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        public String text() {
            stream.flush();
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private Fixtures() {
    }
}
