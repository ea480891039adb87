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
 * the moment the caller acts on it. Many entries can share one fsync: {@link #reserve(String)}
 * claims an entry at once (a second claim is refused) and {@link #persistReserved()} writes every
 * claim with one fsync, which the caller does before acting on any of them.
 */
public final class LineLedger {

    private final Path file;
    private final Set<String> entries = new LinkedHashSet<>();
    /** Claimed but not yet on disk; counted as present by {@link #contains}. */
    private final Set<String> reserved = new LinkedHashSet<>();

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
        return entries.contains(entry) || reserved.contains(entry);
    }

    /** Adds {@code entry} durably; false when it was already there (nothing is written then). */
    public synchronized boolean add(String entry) {
        if (!reserve(entry)) {
            return false;
        }
        persistReserved();
        return true;
    }

    /**
     * Claims {@code entry} in memory: false when it is already present or claimed. Not durable
     * until {@link #persistReserved()}; nothing may depend on the claim before that.
     */
    public synchronized boolean reserve(String entry) {
        if (entry.isBlank() || entry.contains("\n")) {
            throw new IllegalArgumentException("ledger entries are single non-blank lines");
        }
        if (contains(entry)) {
            return false;
        }
        reserved.add(entry);
        return true;
    }

    /**
     * Writes every claim with one fsync. On failure the claims are dropped (as if never made) and
     * the error is thrown: the caller must not act on them.
     */
    public synchronized void persistReserved() {
        if (reserved.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        reserved.forEach(entry -> lines.append(entry).append('\n'));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException e) {
            reserved.clear();
            throw new UncheckedIOException("cannot record in " + file, e);
        }
        entries.addAll(reserved);
        reserved.clear();
    }

    /** Drops the claims not yet persisted. */
    public synchronized void abandonReserved() {
        reserved.clear();
    }

    public synchronized List<String> entries() {
        return List.copyOf(entries);
    }
}
