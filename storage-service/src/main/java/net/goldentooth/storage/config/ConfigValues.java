package net.goldentooth.storage.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the configuration's strings into the values the service runs with, or refuses them with
 * the key, the value and an example, so a bad value stops the start instead of a later poll.
 * Plain Java: unit tested without Quarkus.
 */
public final class ConfigValues {

    private ConfigValues() {
    }

    /**
     * {@code goldentooth.storage.seaweedfs-masters}: each an http(s) URL with a host.
     *
     * @throws IllegalStateException naming the first entry that is not one
     */
    public static List<URI> seaweedfsMasters(List<String> masters) {
        List<URI> uris = new ArrayList<>();
        for (String master : masters) {
            try {
                URI uri = new URI(master.strip());
                String scheme = uri.getScheme();
                if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                    throw new URISyntaxException(master, "not an http(s) URL");
                }
                uris.add(uri);
            } catch (URISyntaxException e) {
                throw new IllegalStateException("goldentooth.storage.seaweedfs-masters: '" + master
                        + "' is not an http(s) URL like http://10.4.0.22:9333");
            }
        }
        return List.copyOf(uris);
    }

    /**
     * {@code goldentooth.storage.zone}: the time zone snapshot names are written in.
     *
     * @throws IllegalStateException when it is not a zone id
     */
    public static ZoneId zone(String zone) {
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new IllegalStateException("goldentooth.storage.zone: '" + zone + "' is not a time zone");
        }
    }
}
