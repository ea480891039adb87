package net.goldentooth.agent.tasks.execution;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Kills a task's whole process tree with SIGKILL. The shell is only the root of what a command
 * starts: {@code sh -c 'sleep 300 & sleep 300'} leaves a grandchild that outlives the shell and
 * would keep running (and holding the output pipe) if only the shell were killed. The tree is
 * listed before the shell dies, because orphans are re-parented to init and drop out of it.
 */
final class ProcessTreeKiller {

    private static final Logger LOG = Logger.getLogger(ProcessTreeKiller.class);

    private final boolean throughSudo;

    /** @param throughSudo the tree runs as root under {@code sudo -n}: signals must be sent as root too */
    ProcessTreeKiller(boolean throughSudo) {
        this.throughSudo = throughSudo;
    }

    void kill(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        tree.add(root);
        List<ProcessHandle> refused = new ArrayList<>();
        for (ProcessHandle handle : tree) {
            if (handle.isAlive() && !handle.destroyForcibly()) {
                refused.add(handle);
            }
        }
        // Children started between the listing and the kill: their parents are dead now, so they
        // can only be found through the handles listed above.
        for (ProcessHandle handle : tree) {
            handle.descendants().filter(ProcessHandle::isAlive).forEach(late -> {
                if (!late.destroyForcibly()) {
                    refused.add(late);
                }
            });
        }
        if (!refused.isEmpty() && throughSudo) {
            killAsRoot(refused);
        } else if (!refused.isEmpty()) {
            LOG.warnf("could not kill processes %s of a timed-out task", pids(refused));
        }
    }

    private static void killAsRoot(List<ProcessHandle> processes) {
        try {
            Process kill = new ProcessBuilder("sudo", "-n", "/bin/sh", "-c", "kill -KILL " + pids(processes))
                    .redirectErrorStream(true).start();
            kill.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            if (kill.waitFor() != 0) {
                LOG.warnf("sudo kill of timed-out root task processes %s failed", pids(processes));
            }
        } catch (java.io.IOException e) {
            LOG.warnf("cannot run sudo to kill timed-out root task processes %s: %s", pids(processes), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String pids(List<ProcessHandle> processes) {
        return processes.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(" "));
    }
}
