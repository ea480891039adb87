package net.goldentooth.provisioner.messaging;

/** What the provisioner's events carry about their producer. */
public final class ProvisionerEvents {

    /** The CloudEvents {@code source} of everything the provisioner publishes. */
    public static final String SOURCE = "//provisioner";

    private ProvisionerEvents() {
    }
}
