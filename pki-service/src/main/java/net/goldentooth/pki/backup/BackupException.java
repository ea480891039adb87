package net.goldentooth.pki.backup;

/** A backup that cannot be read or restored, with a message an operator can act on. */
public final class BackupException extends Exception {

    public BackupException(String message) {
        super(message);
    }
}
