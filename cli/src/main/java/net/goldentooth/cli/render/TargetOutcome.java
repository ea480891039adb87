package net.goldentooth.cli.render;

import net.goldentooth.events.job.TargetState;

/** How a target state is named in the seed's {@code host | SUCCESS | rc=0 >>} style. */
final class TargetOutcome {

    static String word(TargetState state) {
        if (state == null) {
            return "UNKNOWN";
        }
        return switch (state) {
            case SUCCEEDED -> "SUCCESS";
            case TIMED_OUT -> "TIMED OUT";
            default -> state.name();
        };
    }

    private TargetOutcome() {
    }
}
