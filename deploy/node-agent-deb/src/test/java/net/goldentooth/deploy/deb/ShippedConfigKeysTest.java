package net.goldentooth.deploy.deb;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The keys the package ships in /etc/goldentooth/node-agent.properties and the keys the Ansible
 * template writes are keys the agent reads: top-level methods, in kebab case, of node-agent's
 * {@code @ConfigMapping(prefix = "goldentooth.agent")} interfaces, plus the Kafka, HTTP and ordinal
 * keys. A key renamed in node-agent fails here instead of being silently ignored on every node.
 */
class ShippedConfigKeysTest {

    private static final Path ROOT = Path.of(System.getProperty("goldentooth.root", "../.."));
    private static final Set<String> OTHER_KEYS = Set.of("kafka.bootstrap.servers", "quarkus.http.port", "config_ordinal");
    private static final Pattern KEY = Pattern.compile("^#?([a-z_][a-z0-9_.-]+)=", Pattern.MULTILINE);

    static Set<String> agentKeys() throws IOException {
        // goldentooth.agent itself, and groups mapped under their own prefix (goldentooth.agent.services).
        Pattern mapping = Pattern.compile("@ConfigMapping\\(prefix\\s*=\\s*\"(goldentooth\\.agent(?:\\.[a-z.-]+)?)\"\\)");
        // Four spaces: methods of the interface itself; a group declared beside them adds its own
        // (eight spaces) under the group's key.
        Pattern method = Pattern.compile("^ {4}([\\w.<>, ?]+) (\\w+)\\(\\);", Pattern.MULTILINE);
        Set<String> keys = new HashSet<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("node-agent/src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                Matcher prefix = mapping.matcher(source);
                if (prefix.find()) {
                    Matcher m = method.matcher(source);
                    while (m.find()) {
                        String key = prefix.group(1) + "." + kebab(m.group(2));
                        keys.add(key);
                        // A group declared in the same file: its own keys sit one level down.
                        // A map of groups (Map<String, Group>): the group's keys sit under <key>.<name>.
                        Matcher mapOf = Pattern.compile("Map<String, (\\w+)>").matcher(m.group(1));
                        String groupType = mapOf.matches() ? mapOf.group(1) : m.group(1);
                        String groupKey = mapOf.matches() ? key + ".*" : key;
                        Matcher group = Pattern.compile("^ {4}interface " + Pattern.quote(groupType) + " \\{$(.*?)^ {4}}$",
                                Pattern.MULTILINE | Pattern.DOTALL).matcher(source);
                        if (group.find()) {
                            Matcher member = Pattern.compile("^ {8}[\\w.<>, ?]+ (\\w+)\\(\\);", Pattern.MULTILINE)
                                    .matcher(group.group(1));
                            while (member.find()) {
                                keys.add(groupKey + "." + kebab(member.group(1)));
                            }
                        }
                    }
                }
            }
        }
        assertTrue(keys.contains("goldentooth.agent.state-dir"), "node-agent's config interfaces not found: " + keys);
        return keys;
    }

    private static String kebab(String method) {
        return method.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    /** Keys set (or shown commented out) in a properties file or template; Jinja lines are skipped. */
    static Set<String> keysOf(Path file) {
        try {
            Set<String> keys = new TreeSet<>();
            Matcher m = KEY.matcher(Files.readString(file));
            while (m.find()) {
                keys.add(m.group(1));
            }
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theShippedPropertiesAndTheAnsibleTemplateSetOnlyKeysTheAgentReads() throws Exception {
        Set<String> known = agentKeys();
        known.addAll(OTHER_KEYS);
        Path shipped = ROOT.resolve("deploy/node-agent-deb/src/deb/etc/goldentooth/node-agent.properties");
        Path template = ROOT.resolve("deploy/ansible/roles/goldentooth.setup_node_agent/templates/node-agent.properties.j2");
        for (Path file : List.of(shipped, template)) {
            Set<String> unknown = new TreeSet<>(keysOf(file));
            unknown.removeIf(key -> readBy(known, key));
            assertEquals(Set.of(), unknown, file + " sets keys the agent does not read");
        }
        Set<String> templateOnly = new TreeSet<>(keysOf(template));
        templateOnly.removeAll(keysOf(shipped));
        assertEquals(Set.of("goldentooth.agent.units"), templateOnly,
                "the template writes what the shipped file documents (units only when given)");
    }

    /** Whether {@code key} is one of {@code known}, where a {@code *} in a known key stands for one map entry's name. */
    static boolean readBy(Set<String> known, String key) {
        if (known.contains(key)) {
            return true;
        }
        return known.stream().filter(k -> k.contains("*"))
                .anyMatch(k -> key.matches(Pattern.quote(k).replace("*", "\\E[a-z0-9-]+\\Q")));
    }

    @Test
    void aMapEntryKeyIsReadOnlyForTheGroupsOwnMembers() throws Exception {
        Set<String> known = agentKeys();
        assertTrue(readBy(known, "goldentooth.agent.certificates.kafka.cert-path"), "a managed certificate's own key");
        assertFalse(readBy(known, "goldentooth.agent.certificates.kafka.cert-file"), "a member the group does not have");
        assertFalse(readBy(known, "goldentooth.agent.certificates.cert-path"), "no entry name");
    }

    @Test
    void aKeyTheAgentDoesNotReadIsCaught() throws Exception {
        Path file = Files.createTempFile(Path.of("target").toAbsolutePath(), "gt-keys", ".properties");
        Files.writeString(file, "goldentooth.agent.state-directory=/var/lib/goldentooth\n");
        Set<String> unknown = new TreeSet<>(keysOf(file));
        unknown.removeAll(agentKeys());
        assertEquals(Set.of("goldentooth.agent.state-directory"), unknown);
    }
}
