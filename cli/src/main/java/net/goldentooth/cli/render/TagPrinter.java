package net.goldentooth.cli.render;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.ProgressKind;
import net.goldentooth.events.job.TargetStatus;

/**
 * {@code --tag}: output lines as they arrive, each prefixed with its node ({@code dalt: ...});
 * remote stderr goes to local stderr. Chunks are not line-aligned, so a partial line waits for
 * the rest of its line (or for {@link #finish()}).
 *
 * <p>Output already folded into the first status snapshot is printed first; after that only
 * progress records with a seq above the target's {@code lastSeq} in that snapshot, so nothing is
 * printed twice. A target without {@code lastSeq} has folded no output yet, so all of its progress
 * is new.
 */
public final class TagPrinter {

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, Long> printedSeqByTask = new HashMap<>();
    private final Map<String, StringBuilder> partialLines = new TreeMap<>();

    public TagPrinter(PrintStream out, PrintStream err, Map<String, TargetStatus> targets) {
        this.out = out;
        this.err = err;
        if (targets == null) {
            return;
        }
        new TreeMap<>(targets).forEach((node, target) -> {
            append(node, "stdout", target.stdout());
            append(node, "stderr", target.stderr());
            if (target.lastSeq() != null) {
                printedSeqByTask.put(taskKey(target.taskId(), node), target.lastSeq());
            }
        });
    }

    public void onProgress(JobProgress progress) {
        if (progress.kind() != ProgressKind.OUTPUT || progress.data() == null) {
            return;
        }
        String key = taskKey(progress.taskId(), progress.node());
        long printed = printedSeqByTask.getOrDefault(key, -1L);
        if (progress.seq() <= printed) {
            return;
        }
        printedSeqByTask.put(key, progress.seq());
        String node = progress.node() == null ? "?" : progress.node();
        append(node, "stderr".equals(progress.stream()) ? "stderr" : "stdout", progress.data());
    }

    /** Prints what is left of unfinished lines. */
    public void finish() {
        partialLines.forEach((key, rest) -> {
            if (rest.length() > 0) {
                emit(key, rest.toString());
                rest.setLength(0);
            }
        });
        out.flush();
        err.flush();
    }

    private void append(String node, String stream, String data) {
        if (data == null || data.isEmpty()) {
            return;
        }
        String key = stream + "\u0000" + node;
        StringBuilder buffer = partialLines.computeIfAbsent(key, k -> new StringBuilder());
        buffer.append(data);
        int newline;
        while ((newline = buffer.indexOf("\n")) >= 0) {
            String line = buffer.substring(0, newline);
            buffer.delete(0, newline + 1);
            emit(key, line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
    }

    private void emit(String key, String line) {
        int separator = key.indexOf('\u0000');
        String stream = key.substring(0, separator);
        String node = key.substring(separator + 1);
        (stream.equals("stderr") ? err : out).println(node + ": " + line);
    }

    private static String taskKey(String taskId, String node) {
        return taskId != null ? "task:" + taskId : "node:" + node;
    }
}
