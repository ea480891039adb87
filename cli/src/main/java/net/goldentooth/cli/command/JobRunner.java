package net.goldentooth.cli.command;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import net.goldentooth.cli.CliContext;
import net.goldentooth.cli.ExitCode;
import net.goldentooth.cli.client.JobSnapshot;
import net.goldentooth.cli.client.ProvisionerClient;
import net.goldentooth.cli.client.ProvisionerUnavailableException;
import net.goldentooth.cli.client.SseEvent;
import net.goldentooth.cli.render.GroupedRenderer;
import net.goldentooth.cli.render.Summary;
import net.goldentooth.cli.render.TagPrinter;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobState;

/** Starts a job, follows its event stream to the end, prints it, and says how it went. */
final class JobRunner {

    private final ProvisionerClient client;
    private final CliContext context;
    private final RunOptions options;

    private JobSnapshot latest;
    private TagPrinter tagPrinter;

    JobRunner(ProvisionerClient client, CliContext context, RunOptions options) {
        this.client = client;
        this.context = context;
        this.options = options;
    }

    ExitCode run(JobRequest request) {
        JobSnapshot submitted = client.submit(request);
        latest = submitted;
        String jobId = submitted.status().jobId();
        // Ctrl-C stops only the watching, not the job: say where to find it again.
        Thread notice = new Thread(() -> context.err().println(
                "goldentooth: stopped watching; job " + jobId + " keeps running: goldentooth job " + jobId));
        Runtime.getRuntime().addShutdownHook(notice);
        try {
            client.follow(jobId, this::onEvent);
        } catch (ProvisionerUnavailableException broken) {
            // The job keeps running without us; its stored state may already be final.
            context.err().println("goldentooth: " + broken.getMessage() + "; asking for the job's state");
        } finally {
            removeHook(notice);
        }
        if (!latest.status().state().terminal()) {
            latest = client.job(jobId);
        }
        if (tagPrinter != null) {
            tagPrinter.finish();
        }
        if (!latest.status().state().terminal()) {
            throw new ProvisionerUnavailableException("the event stream of job " + jobId
                    + " ended before the job finished; it keeps running: goldentooth job " + jobId);
        }
        return print(latest, options.tag, options.json, options.each, context);
    }

    private void onEvent(SseEvent event) {
        switch (event.type()) {
            case "status" -> {
                latest = client.snapshot(event.data());
                if (options.tag) {
                    tagPrinter();
                }
            }
            case "progress" -> {
                if (options.tag) {
                    tagPrinter().onProgress(progress(event.data()));
                }
            }
            default -> {
                // Other event types are for other clients (a dashboard); ignoring them keeps us compatible.
            }
        }
    }

    private static void removeHook(Thread notice) {
        try {
            Runtime.getRuntime().removeShutdownHook(notice);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already exiting (Ctrl-C): the notice is being printed, which is the point.
        }
    }

    /** Created from the first snapshot seen, whose output is the base the progress records extend. */
    private TagPrinter tagPrinter() {
        if (tagPrinter == null) {
            tagPrinter = new TagPrinter(context.out(), context.err(), latest.status().targets());
        }
        return tagPrinter;
    }

    private JobProgress progress(String json) {
        try {
            return client.mapper().readValue(json, JobProgress.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new ProvisionerUnavailableException("the provisioner sent a progress event this CLI cannot read: "
                    + e.getMessage());
        }
    }

    /**
     * Prints a job the way the options ask and returns its exit code. {@code --tag} printed the
     * output already, so only the summary is left. A job too large to print target by target
     * (without {@code --each}) is grouped, and its summary line always follows on stderr.
     */
    static ExitCode print(JobSnapshot snapshot, boolean tag, boolean json, boolean each, CliContext context) {
        PrintStream out = context.out();
        ExitCode exit = ExitCode.forTargets(snapshot.status().targets() == null ? List.of()
                : snapshot.status().targets().values());
        if (json) {
            out.println(ProvisionerJson.pretty(snapshot.json()));
        } else if (tag) {
            context.err().println(Summary.line(snapshot.status()));
        } else {
            GroupedRenderer.render(snapshot.status(), out, each);
            if (exit != ExitCode.SUCCESS || snapshot.status().state() == JobState.RUNNING
                    || (!each && GroupedRenderer.summarised(snapshot.status()))) {
                context.err().println(Summary.line(snapshot.status()));
            }
        }
        out.flush();
        return exit;
    }
}
