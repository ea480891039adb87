package net.goldentooth.cli.render;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Map;
import net.goldentooth.events.api.JobPage;
import net.goldentooth.events.api.JobSummary;

/** {@code jobs}: one row per job, newest first as the provisioner sends them. */
public final class JobsTable {

    private static final int COMMAND_WIDTH = 60;

    private JobsTable() {
    }

    public static void render(JobPage page, Instant now, PrintStream out) {
        Table table = new Table("JOB", "STATE", "KIND", "PATTERN", "TARGETS", "AGE", "COMMAND");
        for (JobSummary job : page.jobs()) {
            table.add(
                    String.valueOf(job.jobId()),
                    job.state() == null ? "-" : job.state().wire(),
                    job.kind() == null ? "-" : job.kind().wire(),
                    String.valueOf(job.pattern()),
                    targets(job),
                    Ages.since(job.createdAt(), now),
                    shorten(job.command()));
        }
        table.print(out);
    }

    /** {@code 12/13 ok}: succeeded targets out of all. */
    private static String targets(JobSummary job) {
        Map<String, Integer> states = job.targetStates() == null ? Map.of() : job.targetStates();
        return states.getOrDefault("succeeded", 0) + "/" + job.targets() + " ok";
    }

    private static String shorten(String command) {
        if (command == null) {
            return "-";
        }
        String oneLine = command.replace("\r", "").replace("\n", "\\n");
        return oneLine.length() <= COMMAND_WIDTH ? oneLine : oneLine.substring(0, COMMAND_WIDTH - 3) + "...";
    }

    /** The "which page is this" line for stderr. */
    public static String pageLine(JobPage page) {
        if (page.jobs().isEmpty()) {
            return "no jobs (offset " + page.offset() + ", " + page.total() + " in total)";
        }
        return "jobs " + (page.offset() + 1) + "-" + (page.offset() + page.jobs().size()) + " of " + page.total();
    }
}
