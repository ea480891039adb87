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
 * A job of more than {@link #ONE_BY_ONE_UP_TO} targets is {@link #summarise summarised} instead,
 * unless every target is asked for ({@code --each}).
 */
public final class GroupedRenderer {

    /** Up to this many targets every one is printed; above it the output is summarised. */
    public static final int ONE_BY_ONE_UP_TO = 100;
    /** How many groups of identical results a summarised job shows. */
    static final int SHOWN_GROUPS = 10;
    private static final int NAMED_NODES = 5;

    private GroupedRenderer() {
    }

    /** Every target when {@code each} or the job is small, otherwise {@link #summarise}. */
    public static void render(JobStatus status, PrintStream out, boolean each) {
        if (each || !summarised(status)) {
            render(status, out);
        } else {
            summarise(status, out);
        }
    }

    /** Whether {@link #render(JobStatus, PrintStream, boolean)} without {@code each} summarises this job. */
    public static boolean summarised(JobStatus status) {
        return status.targets() != null && status.targets().size() > ONE_BY_ONE_UP_TO;
    }

    /**
     * A large job in a screenful: targets with the same outcome and output form one group, printed
     * once under the names of its nodes ({@code a, b, c, +9995 more | SUCCESS | rc=0 >>}); groups
     * that did not succeed come first, then the largest. At most {@link #SHOWN_GROUPS} groups, then
     * one line says how many targets were left out and how to see them.
     */
    public static void summarise(JobStatus status, PrintStream out) {
        Map<List<Object>, List<String>> groups = new java.util.LinkedHashMap<>();
        Map<List<Object>, TargetStatus> sample = new java.util.HashMap<>();
        for (Map.Entry<String, TargetStatus> entry : sortedTargets(status).entrySet()) {
            TargetStatus t = entry.getValue();
            List<Object> key = java.util.Arrays.asList(t.state(), t.exitCode(), t.via(),
                    t.state() == TargetState.SUCCEEDED ? null : t.reason(), t.stdout(), t.stderr(), t.truncated());
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(entry.getKey());
            sample.putIfAbsent(key, t);
        }
        List<List<Object>> order = new ArrayList<>(groups.keySet());
        order.sort(java.util.Comparator
                .comparing((List<Object> k) -> sample.get(k).state() == TargetState.SUCCEEDED)
                .thenComparing(k -> -groups.get(k).size()));
        int total = status.targets().size();
        out.printf(java.util.Locale.ROOT, "%,d targets in %,d group%s of identical results%s; --each prints every "
                + "target%n", total, order.size(), order.size() == 1 ? "" : "s",
                order.size() > SHOWN_GROUPS ? ", the first " + SHOWN_GROUPS + " shown" : "");
        int shownTargets = 0;
        for (List<Object> key : order.subList(0, Math.min(SHOWN_GROUPS, order.size()))) {
            List<String> nodes = groups.get(key);
            TargetStatus target = sample.get(key);
            out.println(header(names(nodes), target));
            printBlock(target.stdout(), out);
            printBlock(target.stderr(), out);
            if (target.truncated()) {
                out.println("[output truncated at the task's output cap]");
            }
            shownTargets += nodes.size();
        }
        if (shownTargets < total) {
            out.printf(java.util.Locale.ROOT, "[%,d more targets in %,d more groups not shown; --each prints every "
                    + "target]%n", total - shownTargets, order.size() - SHOWN_GROUPS);
        }
    }

    private static String names(List<String> nodes) {
        String shown = String.join(", ", nodes.subList(0, Math.min(NAMED_NODES, nodes.size())));
        return nodes.size() > NAMED_NODES
                ? shown + String.format(java.util.Locale.ROOT, ", +%,d more", nodes.size() - NAMED_NODES) : shown;
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
