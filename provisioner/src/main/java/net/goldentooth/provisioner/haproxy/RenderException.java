package net.goldentooth.provisioner.haproxy;

import java.util.List;

/** The inventory cannot be rendered: a group is missing or empty, or a value is unsafe to write. */
public class RenderException extends RuntimeException {

    private final List<String> hints;

    public RenderException(String message, List<String> hints) {
        super(message);
        this.hints = List.copyOf(hints);
    }

    public List<String> hints() {
        return hints;
    }
}
