package net.goldentooth.agent.certs.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;

/**
 * Replaces a file so that a reader sees the old content or the new, never half of either, and
 * the new content survives a power cut: a temporary file in the same directory is created with
 * owner-only permissions, given its owner, group and final mode, written, fsync'ed, renamed over
 * the target, and the directory is fsync'ed. A key is therefore never readable by others, not
 * even for the moment between creating and chmod-ing.
 */
public final class AtomicFiles {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private AtomicFiles() {
    }

    /** @return true when the content changed (an identical file with the same spec is left untouched) */
    public static boolean writeIfChanged(Path target, byte[] content, FileSpec spec) throws IOException {
        if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), content)
                && Files.getPosixFilePermissions(target).equals(spec.permissions())) {
            return false;
        }
        write(target, content, spec);
        return true;
    }

    public static void write(Path target, byte[] content, FileSpec spec) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            applyOwnership(temp, spec);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            // chmod after chown: chown may clear bits, and the final mode is what the spec says.
            Files.setPosixFilePermissions(temp, spec.permissions());
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot rename atomically into " + dir, e);
            }
            fsyncDirectory(dir);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void applyOwnership(Path file, FileSpec spec) throws IOException {
        if (spec.owner().isEmpty() && spec.group().isEmpty()) {
            return;
        }
        UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (spec.owner().isPresent()) {
            view.setOwner(lookup.lookupPrincipalByName(spec.owner().get()));
        }
        if (spec.group().isPresent()) {
            GroupPrincipal group = lookup.lookupPrincipalByGroupName(spec.group().get());
            view.setGroup(group);
        }
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
