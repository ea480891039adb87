package net.goldentooth.storage.nfs;

import java.nio.charset.StandardCharsets;

/**
 * systemd's path escaping ({@code systemd-escape --path}), which names mount units: the mount
 * point {@code /mnt/gpu-storage} is the unit {@code mnt-gpu\x2dstorage.mount}. A hand-written
 * {@code mnt-gpu-storage.mount} is refused by systemd ("Where= setting doesn't match unit name").
 */
public final class SystemdEscape {

    private SystemdEscape() {
    }

    public static String path(String path) {
        String trimmed = path.replaceAll("/+", "/");
        if (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.isEmpty()) {
            return "-";
        }
        StringBuilder out = new StringBuilder();
        byte[] bytes = trimmed.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            if (b == '/') {
                out.append('-');
            } else if (isPlain(b) && !(i == 0 && b == '.')) {
                out.append((char) b);
            } else {
                out.append(String.format("\\x%02x", b));
            }
        }
        return out.toString();
    }

    private static boolean isPlain(int b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                || b == ':' || b == '_' || b == '.';
    }
}
