package net.goldentooth.cli.command;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code job approve <id>}: opens the manual gate a job (the Kubernetes upgrade) waits at. */
@Command(name = "approve", description = "Approve the gate a job waits at (the Kubernetes upgrade's "
        + "'kubeadm upgrade apply'); exit 2 when the job is unknown or not waiting.")
public final class ApproveCommand implements Callable<Integer> {

    @ParentCommand
    JobCommand job;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "<id>", description = "The job id.")
    String jobId;

    @Override
    public Integer call() {
        job.root.client(spec).postTree("/jobs/" + URLEncoder.encode(jobId, StandardCharsets.UTF_8) + "/approve", null);
        job.root.context().out().println("approved: job " + jobId + " goes on (goldentooth job " + jobId + ")");
        return 0;
    }
}
