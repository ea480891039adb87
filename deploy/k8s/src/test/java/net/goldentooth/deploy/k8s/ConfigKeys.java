package net.goldentooth.deploy.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The configuration keys a service reads, from its sources: each {@code @ConfigMapping(prefix = ...)}
 * interface's methods in kebab case (one level: nested groups are not followed), the keys of its
 * application.properties, and the shared {@code kafka.bootstrap.servers}. {@code quarkus.*} keys are
 * Quarkus' own and accepted as such.
 */
final class ConfigKeys {

    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\(prefix\\s*=\\s*\"([^\"]+)\"\\)");
    private static final Pattern METHOD = Pattern.compile("^\\s+[\\w.<>, ?]+\\s+(\\w+)\\(\\);", Pattern.MULTILINE);

    private final Set<String> keys;

    private ConfigKeys(Set<String> keys) {
        this.keys = keys;
    }

    static ConfigKeys of(Path module) throws IOException {
        Set<String> keys = new HashSet<>(Set.of("kafka.bootstrap.servers"));
        Map<String, String> mappings = new HashMap<>();
        try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                try {
                    String source = Files.readString(f);
                    Matcher mapping = MAPPING.matcher(source);
                    if (mapping.find()) {
                        mappings.put(f.toString(), mapping.group(1));
                        Matcher method = METHOD.matcher(source);
                        while (method.find()) {
                            keys.add(mapping.group(1) + "." + kebab(method.group(1)));
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        if (mappings.isEmpty()) {
            throw new AssertionError(module + " declares no @ConfigMapping");
        }
        return new ConfigKeys(keys);
    }

    boolean reads(String key) {
        return key.startsWith("quarkus.") || keys.contains(key);
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}
