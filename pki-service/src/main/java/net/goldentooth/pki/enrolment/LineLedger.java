package net.goldentooth.pki.enrolment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A durable set of strings, one per line in an append-only file (mode 0600). {@link #add(String)}
 * returns only after the line is fsynced: a used token id or a revoked lineage survives a crash
 * the moment the caller acts on it.
 */
public final class LineLedger {

    private final Path file;
    private final Set<String> entries = new LinkedHashSet<>();

    public LineLedger(Path file) throws IOException {
        this.file = file;
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                entries.add(line.strip());
            }
        }
    }

    public synchronized boolean contains(String entry) {
        return entries.contains(entry);
    }

    /** Adds {@code entry} durably; false when it was already there (nothing is written then). */
    public synchronized boolean add(String entry) {
        if (entry.isBlank() || entry.contains("\n")) {
            throw new IllegalArgumentException("ledger entries are single non-blank lines");
        }
        if (entries.contains(entry)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap((entry + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record in " + file, e);
        }
        entries.add(entry);
        return true;
    }

    public synchronized List<String> entries() {
        return List.copyOf(entries);
    }
}
