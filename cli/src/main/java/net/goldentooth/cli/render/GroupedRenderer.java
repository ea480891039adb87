package net.goldentooth.cli.render;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.TargetState;
import net.goldentooth.events.job.TargetStatus;

/**
 * The default output: one block per target, sorted by node name, headed in the seed's Ansible
 * style ({@code bettley | SUCCESS | rc=0 >>}) and followed by the target's stdout, then stderr.
 */
public final class GroupedRenderer {

    private GroupedRenderer() {
    }

    public static void render(JobStatus status, PrintStream out) {
        for (Map.Entry<String, TargetStatus> entry : sortedTargets(status).entrySet()) {
            TargetStatus target = entry.getValue();
            out.println(header(entry.getKey(), target));
            printBlock(target.stdout(), out);
            printBlock(target.stderr(), out);
            if (target.truncated()) {
                out.println("[output truncated at the task's output cap]");
            }
        }
    }

    static Map<String, TargetStatus> sortedTargets(JobStatus status) {
        return status.targets() == null ? Map.of() : new TreeMap<>(status.targets());
    }

    /** {@code node | WORD [| rc=N] [| via ssh] [| reason] [>>]}; {@code >>} when output may follow. */
    static String header(String node, TargetStatus target) {
        List<String> parts = new ArrayList<>();
        parts.add(node);
        parts.add(TargetOutcome.word(target.state()));
        if (target.exitCode() != null) {
            parts.add("rc=" + target.exitCode());
        }
        if ("ssh".equals(target.via())) {
            parts.add("via ssh");
        }
        if (target.state() != TargetState.SUCCEEDED && target.reason() != null && !target.reason().isBlank()) {
            parts.add(target.reason().strip());
        }
        String header = String.join(" | ", parts);
        boolean output = !isEmpty(target.stdout()) || !isEmpty(target.stderr());
        return output || target.exitCode() != null ? header + " >>" : header;
    }

    private static void printBlock(String text, PrintStream out) {
        if (isEmpty(text)) {
            return;
        }
        out.print(text);
        if (!text.endsWith("\n")) {
            out.println();
        }
    }

    private static boolean isEmpty(String text) {
        return text == null || text.isEmpty();
    }
}
