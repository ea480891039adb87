package net.goldentooth.storage.shell;

/** What a command on a node returned. */
public record ShellResult(int exitCode, String stdout, String stderr) {

    public ShellResult {
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
    }

    public boolean ok() {
        return exitCode == 0;
    }

    /** The last non-blank line of standard error, for one-line error reports. */
    public String errorLine() {
        String[] lines = stderr.strip().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank()) {
                return lines[i].strip();
            }
        }
        return "exit " + exitCode;
    }
}
