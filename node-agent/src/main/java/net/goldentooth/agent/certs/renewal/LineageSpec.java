package net.goldentooth.agent.certs.renewal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import net.goldentooth.agent.certs.files.FileSpec;

/**
 * One managed certificate as the renewal loop sees it (the configuration, resolved).
 *
 * @param lineage       {@code <node>/<name>}
 * @param reloadCommand shell command run after a new certificate is written; empty for none
 * @param probe         TLS endpoint that must serve the new certificate after the reload; empty for none
 */
public record LineageSpec(String node, String lineage, String service, Path certPath, Path keyPath,
                          Optional<Path> chainPath, FileSpec keySpec, FileSpec certSpec, List<String> names,
                          Duration lifetime, Optional<String> reloadCommand, Optional<Endpoint> probe) {

    public LineageSpec {
        names = List.copyOf(names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException(lineage + ": a certificate needs at least one name");
        }
    }

    /** A {@code host:port} TLS endpoint. */
    public record Endpoint(String host, int port) {

        /** @throws IllegalArgumentException naming {@code key} for anything but host:port */
        public static Endpoint parse(String text, String key) {
            int colon = text == null ? -1 : text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new IllegalArgumentException(key + " must be host:port, was " + text);
            }
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                int port = Integer.parseInt(text.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                return new Endpoint(host, port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be host:port with a port 1-65535, was " + text);
            }
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }
}
