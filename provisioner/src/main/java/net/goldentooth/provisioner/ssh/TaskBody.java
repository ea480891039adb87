package net.goldentooth.provisioner.ssh;

import java.io.IOException;
import net.schmizz.sshj.SSHClient;

/** What a task does on an authenticated connection: a command, or the agent bootstrap. */
@FunctionalInterface
public interface TaskBody {

    /** @param exitCode null when the run was cut off by the timeout ({@code timedOut}) */
    record Result(Integer exitCode, boolean timedOut) {
    }

    Result run(SSHClient client, TaskReporter reporter) throws IOException, InterruptedException;
}
