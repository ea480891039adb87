package net.goldentooth.provisioner.ansible;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The {@code setup_*.yaml} playbooks of one directory, read on every call so a playbook added on
 * disk is usable at once. A name resolves only to a regular file directly inside the directory.
 */
public final class PlaybookCatalogue {

    private static final String SUFFIX = ".yaml";

    private final Path dir;

    public PlaybookCatalogue(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path dir() {
        return dir;
    }

    /** The playbook names, sorted; empty when the directory does not exist. */
    public List<String> names() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(SUFFIX))
                    .map(n -> n.substring(0, n.length() - SUFFIX.length()))
                    .filter(n -> PlaybookInvocation.NAME.matcher(n).matches())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list playbooks in " + dir, e);
        }
    }

    /** @throws PlaybookException for an invalid name, or an unknown one (the hints list what exists) */
    public Path resolve(String name) {
        PlaybookInvocation.checkName(name);
        Path file = dir.resolve(name + SUFFIX).normalize();
        if (!file.getParent().equals(dir) || !Files.isRegularFile(file)) {
            List<String> known = names();
            throw new PlaybookException("unknown playbook '" + name + "'; playbooks in " + dir + ": "
                    + (known.isEmpty() ? "none" : String.join(", ", known)), known);
        }
        return file;
    }
}
