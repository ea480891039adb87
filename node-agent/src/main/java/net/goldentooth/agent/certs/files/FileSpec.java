package net.goldentooth.agent.certs.files;

import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Mode and ownership a written file must have.
 *
 * @param owner user name, empty for the writer's own
 * @param group group name, empty for the writer's own
 */
public record FileSpec(Set<PosixFilePermission> permissions, Optional<String> owner, Optional<String> group) {

    public FileSpec {
        permissions = Set.copyOf(permissions);
    }

    /** @param octalMode e.g. {@code 0640} or {@code 644} */
    public static FileSpec of(String octalMode, Optional<String> owner, Optional<String> group) {
        return new FileSpec(permissions(octalMode), owner, group);
    }

    public static FileSpec mode(String octalMode) {
        return of(octalMode, Optional.empty(), Optional.empty());
    }

    /**
     * @throws IllegalArgumentException for anything but three or four octal digits without
     *                                  setuid, setgid or sticky bits (Java cannot set them)
     */
    public static Set<PosixFilePermission> permissions(String octalMode) {
        if (octalMode == null || !octalMode.matches("0?[0-7]{3}")) {
            throw new IllegalArgumentException("file mode must be octal like 0640, was " + octalMode);
        }
        int mode = Integer.parseInt(octalMode, 8);
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                permissions.add(bits[i]);
            }
        }
        return permissions;
    }

    @Override
    public String toString() {
        return PosixFilePermissions.toString(permissions) + owner.map(o -> " owner " + o).orElse("")
                + group.map(g -> " group " + g).orElse("");
    }
}
