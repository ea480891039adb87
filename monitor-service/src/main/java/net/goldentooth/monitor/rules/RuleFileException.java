package net.goldentooth.monitor.rules;

/** A rule file that cannot be loaded; names the file, the line and why. */
public final class RuleFileException extends RuntimeException {

    private final String file;
    private final int line;
    private final String reason;

    public RuleFileException(String file, int line, String reason) {
        super(file + ":" + line + ": " + reason);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
