package net.goldentooth.provisioner.inventory;

import java.util.List;

/**
 * A host pattern that selects nothing usable; the message is safe to show the caller and
 * {@code knownGroups} lets the caller suggest a correct one. Permanent.
 */
public class PatternException extends RuntimeException {

    private final List<String> knownGroups;

    public PatternException(String message, List<String> knownGroups) {
        super(message);
        this.knownGroups = List.copyOf(knownGroups);
    }

    public List<String> knownGroups() {
        return knownGroups;
    }
}
