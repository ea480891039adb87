package net.goldentooth.agent.tasks.execution;

import net.goldentooth.events.job.Task;

/**
 * Answers a simulated node's task without starting a process, for scale tests of the control plane
 * ({@code goldentooth.agent.simulated-executor=in-process}). Everything before it is the agent's
 * real path (admission, signature, ledger, ACCEPTED); it reports STARTED, one stdout line about as
 * long as {@code uptime}'s and FINISHED with status 0, so the provisioner folds and publishes what a
 * real run gives it, while the machine pays no fork per target. The line says that nothing ran, so
 * no one mistakes it for a command's output.
 */
public final class InProcessExecutor implements TaskExecutor {

    /** What the stdout line starts with; the node and the first characters of the command follow. */
    public static final String MARK = "in-process executor, not run: ";
    private static final int COMMAND_CHARS = 40;

    @Override
    public TaskRunner.Finished run(TaskProgress progress) {
        long started = System.nanoTime();
        progress.started();
        progress.output("stdout", line(progress.task()));
        progress.finished(0, (System.nanoTime() - started) / 1_000_000, false, false);
        return new TaskRunner.Finished(0, false);
    }

    static String line(Task task) {
        String command = task.spec().command() == null ? "" : task.spec().command().strip();
        int newline = command.indexOf('\n');
        if (newline >= 0) {
            command = command.substring(0, newline) + " ...";
        }
        if (command.length() > COMMAND_CHARS) {
            command = command.substring(0, COMMAND_CHARS) + "...";
        }
        return task.node() + ": " + MARK + command + "\n";
    }
}
