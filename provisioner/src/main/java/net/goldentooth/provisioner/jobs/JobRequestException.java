package net.goldentooth.provisioner.jobs;

import java.util.List;

/** A job request that can never succeed as sent. The message names the field and is safe to show. Permanent. */
public class JobRequestException extends RuntimeException {

    private final List<String> hints;

    public JobRequestException(String message, List<String> hints) {
        super(message);
        this.hints = List.copyOf(hints);
    }

    public JobRequestException(String message) {
        this(message, List.of());
    }

    public List<String> hints() {
        return hints;
    }
}
