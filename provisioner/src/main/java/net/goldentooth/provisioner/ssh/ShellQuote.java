package net.goldentooth.provisioner.ssh;

/** POSIX shell single-quoting, for paths and commands placed into remote command lines. */
public final class ShellQuote {

    private ShellQuote() {
    }

    public static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
