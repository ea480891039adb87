package net.goldentooth.provisioner.k8s.upgrade;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.goldentooth.provisioner.errors.ErrorKind;
import net.goldentooth.provisioner.errors.ProvisionerException;

/**
 * Where an upgrade stands: its plan, the step to run next, and its phase. Immutable; every
 * transition is {@link #on(Event)}. Pure.
 *
 * @param next    index (0-based) of the step to run next, or of the gate being waited at
 * @param failure why the upgrade stopped; null unless {@link Phase#FAILED}
 */
public record UpgradeState(List<UpgradeStep> plan, int next, Phase phase, String failure) {

    public enum Phase {
        /** A step is due or running. */
        RUNNING,
        /** Stopped at a gate until an operator approves. */
        AWAITING_APPROVAL,
        /** Every step succeeded. Terminal. */
        SUCCEEDED,
        /** A step failed; nothing after it runs. Terminal. */
        FAILED;

        public boolean terminal() {
            return this == SUCCEEDED || this == FAILED;
        }
    }

    /** What can happen to an upgrade. */
    public sealed interface Event permits StepSucceeded, StepFailed, Approved {
    }

    /** The step numbered {@code number} (1-based) succeeded. */
    public record StepSucceeded(int number) implements Event {
    }

    /** The step numbered {@code number} failed, with why. */
    public record StepFailed(int number, String reason) implements Event {
    }

    /** An operator approved the gate the upgrade waits at. */
    public record Approved() implements Event {
    }

    /** A transition that does not apply in the current state, e.g. approving while no gate is reached. */
    public static final class IllegalTransition extends ProvisionerException {
        public IllegalTransition(String message) {
            super(ErrorKind.CONFLICT, message, List.of(), Map.of(), null);
        }
    }

    public UpgradeState {
        plan = List.copyOf(plan);
    }

    public static UpgradeState start(List<UpgradeStep> plan) {
        return settle(new UpgradeState(plan, 0, Phase.RUNNING, null));
    }

    /**
     * The state of a plan whose steps up to {@code finishedStep} (1-based; 0 for none) are known to
     * be done — gates approved, other steps succeeded — as recorded in the job's output before a
     * restart.
     */
    public static UpgradeState resumedAfter(List<UpgradeStep> plan, int finishedStep) {
        UpgradeState state = start(plan);
        while (!state.phase.terminal() && state.plan.get(state.next).number() <= finishedStep) {
            UpgradeStep step = state.plan.get(state.next);
            state = state.on(step.kind() == UpgradeStep.Kind.GATE ? new Approved() : new StepSucceeded(step.number()));
        }
        return state;
    }

    /** The step due (or the gate waited at); empty once the upgrade has ended. */
    public Optional<UpgradeStep> current() {
        return phase.terminal() ? Optional.empty() : Optional.of(plan.get(next));
    }

    /** The one transition function. */
    public UpgradeState on(Event event) {
        if (phase.terminal()) {
            throw new IllegalTransition("the upgrade has already " + (phase == Phase.SUCCEEDED ? "succeeded" : "failed"));
        }
        if (event instanceof StepSucceeded s) {
            requireRunning(s.number());
            return settle(new UpgradeState(plan, next + 1, Phase.RUNNING, null));
        }
        if (event instanceof StepFailed f) {
            requireRunning(f.number());
            return new UpgradeState(plan, next, Phase.FAILED, "step " + f.number() + " (" + plan.get(next).title()
                    + ") failed: " + f.reason());
        }
        if (phase != Phase.AWAITING_APPROVAL) {
            throw new IllegalTransition("the upgrade is not waiting for approval; it is at step "
                    + (next + 1) + " (" + plan.get(next).title() + ")");
        }
        return settle(new UpgradeState(plan, next + 1, Phase.RUNNING, null));
    }

    private void requireRunning(int number) {
        if (phase != Phase.RUNNING || number != next + 1) {
            throw new IllegalTransition("step " + number + " reported, but the upgrade is "
                    + phase.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " at step " + (next + 1));
        }
    }

    /** Past the end is success; a gate is waited at. */
    private static UpgradeState settle(UpgradeState s) {
        if (s.next >= s.plan.size()) {
            return new UpgradeState(s.plan, s.plan.size(), Phase.SUCCEEDED, null);
        }
        if (s.plan.get(s.next).kind() == UpgradeStep.Kind.GATE) {
            return new UpgradeState(s.plan, s.next, Phase.AWAITING_APPROVAL, null);
        }
        return s;
    }
}
