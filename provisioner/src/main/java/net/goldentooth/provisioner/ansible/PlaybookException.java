package net.goldentooth.provisioner.ansible;

import java.util.List;

/** A playbook request the caller got wrong: an invalid or unknown name, a malformed extra variable. */
public class PlaybookException extends RuntimeException {

    private final List<String> hints;

    public PlaybookException(String message, List<String> hints) {
        super(message);
        this.hints = List.copyOf(hints);
    }

    /** What would have been valid, e.g. the playbooks that exist. */
    public List<String> hints() {
        return hints;
    }
}
