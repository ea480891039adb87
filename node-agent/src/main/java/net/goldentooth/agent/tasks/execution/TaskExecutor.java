package net.goldentooth.agent.tasks.execution;

/**
 * Runs one admitted task and reports STARTED, output and FINISHED through its {@link TaskProgress}.
 * Called on a pool thread after the ledger has the task marked started; blocks until it is finished.
 */
public interface TaskExecutor {

    TaskRunner.Finished run(TaskProgress progress);
}
