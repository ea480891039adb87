package net.goldentooth.cli.command;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import net.goldentooth.cli.client.ProvisionerClient;
import net.goldentooth.cli.render.JobsTable;
import net.goldentooth.events.api.JobPage;
import net.goldentooth.events.job.JobState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jobs}: the job history, newest first. */
@Command(name = "jobs", description = "List jobs, newest first.")
public final class JobsCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--state", paramLabel = "<state>", completionCandidates = JobStates.class,
            description = "Only jobs in this state: ${COMPLETION-CANDIDATES}.")
    String state;

    @Option(names = "--node", paramLabel = "<node>", description = "Only jobs that targeted this node.")
    String node;

    @Option(names = "--pattern", paramLabel = "<pattern>", description = "Only jobs started with this pattern.")
    String pattern;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N jobs (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--offset", paramLabel = "N", defaultValue = "0", description = "Skip the N newest jobs.")
    int offset;

    @Option(names = "--json", description = "Print the provisioner's JSON page.")
    boolean json;

    @Override
    public Integer call() {
        if (state != null) {
            try {
                JobState.fromWire(state);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--state: " + e.getMessage());
            }
        }
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1, got " + limit);
        }
        if (offset < 0) {
            throw new ParameterException(spec.commandLine(), "--offset must not be negative, got " + offset);
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("offset", String.valueOf(offset));
        query.put("limit", String.valueOf(limit));
        query.put("state", state);
        query.put("node", node);
        query.put("pattern", pattern);
        if (json) {
            root.context().out().println(ProvisionerJson.pretty(
                    root.client(spec).getTree("/jobs" + ProvisionerClient.query(query))));
            return 0;
        }
        JobPage page = root.client(spec).jobs(query);
        JobsTable.render(page, root.context().clock().instant(), root.context().out());
        root.context().err().println(JobsTable.pageLine(page));
        return 0;
    }

    /** The job states, for help and completion. */
    static final class JobStates implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(JobState.values()).map(JobState::wire).iterator();
        }
    }
}
