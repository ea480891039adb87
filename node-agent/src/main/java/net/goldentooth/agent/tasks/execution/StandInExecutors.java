package net.goldentooth.agent.tasks.execution;

import java.util.Locale;
import java.util.Set;

/**
 * Chooses the executor per task: the stand-ins (simulated nodes) use {@code standIns}, every other
 * node (the real one) forks through {@code real}. With {@link Mode#FORK} both are the same.
 */
public final class StandInExecutors implements TaskExecutor {

    /** {@code goldentooth.agent.simulated-executor}. */
    public enum Mode {
        /** Simulated nodes run their commands like the real node (the default). */
        FORK("fork"),
        /** Simulated nodes answer without starting a process ({@link InProcessExecutor}). */
        IN_PROCESS("in-process");

        private final String wire;

        Mode(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        /** @throws IllegalArgumentException naming the key and the accepted values */
        public static Mode parse(String value) {
            String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
            for (Mode mode : values()) {
                if (mode.wire.equals(v)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("goldentooth.agent.simulated-executor must be 'fork' or 'in-process', "
                    + "was '" + value + "'");
        }
    }

    private final TaskExecutor real;
    private final TaskExecutor standIn;
    private final Set<String> standIns;

    private StandInExecutors(TaskExecutor real, TaskExecutor standIn, Set<String> standIns) {
        this.real = real;
        this.standIn = standIn;
        this.standIns = Set.copyOf(standIns);
    }

    /**
     * @param real     the forking runner
     * @param standIns the names of the simulated nodes (never the real one)
     */
    public static TaskExecutor of(Mode mode, TaskExecutor real, Set<String> standIns) {
        if (mode == Mode.FORK || standIns.isEmpty()) {
            return real;
        }
        return new StandInExecutors(real, new InProcessExecutor(), standIns);
    }

    @Override
    public TaskRunner.Finished run(TaskProgress progress) {
        return (standIns.contains(progress.task().node()) ? standIn : real).run(progress);
    }
}
