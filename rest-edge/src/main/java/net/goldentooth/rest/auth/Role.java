package net.goldentooth.rest.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The roles of DESIGN.md's security model, each including the ones before it: a viewer reads, an
 * operator also starts jobs and acts (approvals, snapshots), an admin also runs {@code command_root},
 * initialises the PKI, revokes and mints enrolment tokens.
 */
public enum Role {
    VIEWER,
    OPERATOR,
    ADMIN;

    /** True when a caller holding this role may do what {@code needed} allows. */
    public boolean includes(Role needed) {
        return ordinal() >= needed.ordinal();
    }

    /** The lower-case name used in the tokens file, in configuration and in error messages. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String text) {
        return Arrays.stream(values()).filter(r -> r.wire().equals(text)).findFirst();
    }

    /** "viewer, operator, admin", for error messages. */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(Role::wire).toList());
    }
}
