package net.goldentooth.cli.command;

import net.goldentooth.cli.CliContext;

/** Who runs the CLI, for the job's audit trail ({@code requestedBy}). */
final class Users {

    static String current(CliContext context) {
        String user = context.env().get("USER");
        return user == null || user.isBlank() ? System.getProperty("user.name") : user;
    }

    private Users() {
    }
}
