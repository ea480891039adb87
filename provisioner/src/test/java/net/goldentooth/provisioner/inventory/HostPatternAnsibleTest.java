package net.goldentooth.provisioner.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link HostPattern} against Ansible itself (ansible-core from Debian's {@code ansible} package, listed in
 * {@code .ci/packages/provisioner.txt}): seeded random patterns over the seed's inventory and the test
 * inventory (which has an ungrouped host and a group with both hosts and children). Ansible answers
 * through {@code InventoryManager.list_hosts}, the code behind {@code ansible <pattern> --list-hosts},
 * all patterns in one Python process (src/test/resources/ansible/list_hosts.py); a few patterns also
 * go through the real command line.
 *
 * <p>Where Ansible selects hosts, the provisioner must select the same hosts in the same order. Where
 * Ansible selects none or fails, or where a term names nothing (Ansible warns and goes on; it is made to
 * fail here, since the provisioner refuses such a term), the provisioner must refuse with a
 * {@link PatternException}.
 */
class HostPatternAnsibleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SEED = Path.of("../deploy/inventory/goldentooth.yaml");
    private static final Path SMALL = InventoryParserTest.fixture("small.yaml");
    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"seed", "small"})
    void generatedPatternsAgreeWithAnsible(String which) throws Exception {
        Path file = which.equals("seed") ? SEED : SMALL;
        Inventory inventory = InventoryParser.load(file);
        long seed = which.equals("seed") ? 20261207L : 7L;
        List<String> patterns = new Generator(inventory, new Random(seed)).patterns(1500);
        List<JsonNode> answers = ansible(file, patterns);

        int selected = 0;
        int refused = 0;
        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            String pattern = patterns.get(i);
            JsonNode answer = answers.get(i);
            List<String> expected = answer.has("hosts") ? hosts(answer.get("hosts")) : List.of();
            String ours;
            try {
                ours = String.valueOf(HostPattern.resolve(pattern, inventory));
            } catch (PatternException e) {
                ours = "refused: " + e.getMessage();
            } catch (RuntimeException e) {
                ours = "crashed: " + e;
            }
            if (!expected.isEmpty()) {
                selected++;
                if (!ours.equals(String.valueOf(expected))) {
                    disagreements.add(pattern + "  ansible " + expected + "  ours " + ours);
                }
            } else {
                refused++;
                if (!ours.startsWith("refused: ")) {
                    disagreements.add(pattern + "  ansible " + answer + "  ours " + ours);
                }
            }
        }
        if (!disagreements.isEmpty()) {
            fail(disagreements.size() + " of " + patterns.size() + " patterns disagree with Ansible (seed " + seed
                    + "), first ones:\n" + String.join("\n", disagreements.subList(0, Math.min(25, disagreements.size()))));
        }
        // The generator must mostly produce patterns that select something, or the comparison says little.
        assertTrue(selected > patterns.size() / 2, "only " + selected + " selecting patterns, " + refused + " refused");
        assertTrue(refused > 20, "only " + refused + " refused patterns: the error paths went untested");
    }

    @Test
    void theRealCommandLineAgreesOnAFewPatterns() throws Exception {
        Inventory inventory = InventoryParser.load(SEED);
        for (String pattern : List.of("k8s_worker:!velaryon", "~(bett|dal).*:k8s_worker[2:]", "*[3],&raspberry_pi",
                "k8s_cluster[1-3]:&~[a-f]")) {
            Process process = new ProcessBuilder("ansible", pattern, "--list-hosts", "-i", SEED.toString())
                    .redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue(), out);
            // "  hosts (N):" then one indented host per line
            List<String> listed = out.lines().skip(1).map(String::strip).filter(l -> !l.isEmpty()).toList();
            assertEquals(listed, HostPattern.resolve(pattern, inventory), pattern);
            assertTrue(out.lines().findFirst().orElse("").contains("hosts (" + listed.size() + ")"), out);
        }
    }

    private List<JsonNode> ansible(Path inventory, List<String> patterns) throws IOException, InterruptedException {
        Path input = tmp.resolve("patterns.jsonl");
        List<String> lines = new ArrayList<>();
        for (String p : patterns) {
            lines.add(JSON.writeValueAsString(p));
        }
        Files.write(input, lines, StandardCharsets.UTF_8);
        ProcessBuilder builder = new ProcessBuilder(PYTHON, Path.of("src/test/resources/ansible/list_hosts.py").toString(),
                inventory.toString())
                .redirectInput(input.toFile())
                .redirectError(tmp.resolve("ansible.err").toFile());
        builder.environment().put("ANSIBLE_HOST_PATTERN_MISMATCH", "error");
        builder.environment().put("ANSIBLE_INVENTORY_ENABLED", "yaml");
        Process process = builder.start();
        List<String> out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "ansible did not finish");
        assertEquals(0, process.exitValue(), () -> "ansible failed: " + read(tmp.resolve("ansible.err")));
        assertEquals(patterns.size(), out.size(), () -> "ansible answered " + out.size() + " of " + patterns.size()
                + ": " + read(tmp.resolve("ansible.err")));
        List<JsonNode> answers = new ArrayList<>();
        for (String line : out) {
            answers.add(JSON.readTree(line));
        }
        return answers;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static List<String> hosts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /**
     * Patterns an operator could type: names, globs, regular expressions, subscripts, the three
     * operators, both separators, stray spaces, and now and then a typo or an out-of-range index.
     */
    static final class Generator {
        private final List<String> names;
        private final List<String> hostNames;
        private final Random random;

        Generator(Inventory inventory, Random random) {
            LinkedHashSet<String> all = new LinkedHashSet<>(inventory.patternGroups().keySet());
            all.addAll(inventory.hosts().keySet());
            this.names = List.copyOf(all);
            this.hostNames = List.copyOf(inventory.hosts().keySet());
            this.random = random;
        }

        List<String> patterns(int count) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                out.add(pattern());
            }
            return out;
        }

        private String pattern() {
            int terms = 1 + random.nextInt(random.nextBoolean() ? 2 : 4);
            boolean commas = random.nextInt(3) > 0;
            StringBuilder b = new StringBuilder();
            for (int t = 0; t < terms; t++) {
                if (t > 0) {
                    b.append(commas ? (random.nextInt(5) == 0 ? " , " : ",") : ":");
                }
                int op = random.nextInt(10);
                if (t > 0 || random.nextInt(4) == 0) {
                    b.append(op < 3 ? "!" : op < 4 ? "&" : "");
                }
                b.append(term(commas));
            }
            return b.toString();
        }

        private String term(boolean commas) {
            int kind = random.nextInt(20);
            String name = pick(names);
            String base;
            if (kind < 8) {
                base = name;
            } else if (kind < 9) {
                base = pick(List.of("all", "*", "ungrouped"));
            } else if (kind < 13) {
                base = glob(name);
            } else if (kind < 17) {
                return "~" + regex(name, commas);
            } else if (kind < 18) {
                base = typo(name);
            } else {
                base = name.substring(0, 1 + random.nextInt(name.length())) + "*";
            }
            return random.nextInt(4) == 0 ? base + subscript() : base;
        }

        private String glob(String name) {
            int at = random.nextInt(name.length());
            return switch (random.nextInt(6)) {
                case 0 -> name.substring(0, at) + "*";
                case 1 -> "*" + name.substring(at);
                case 2 -> name.substring(0, at) + "?" + name.substring(at + 1);
                case 3 -> "[" + name.charAt(0) + (char) ('a' + random.nextInt(26)) + "]" + name.substring(1);
                case 4 -> "[!" + name.charAt(0) + "]*";
                default -> "[" + (char) ('a' + random.nextInt(13)) + "-" + (char) ('a' + random.nextInt(26)) + "]*";
            };
        }

        private String regex(String name, boolean commas) {
            int at = 1 + random.nextInt(name.length());
            String other = pick(hostNames);
            return switch (random.nextInt(8)) {
                case 0 -> name.substring(0, at);
                case 1 -> ".*" + name.substring(at - 1);
                case 2 -> "(" + name + "|" + other + ")";
                case 3 -> name.substring(0, at) + "$";
                case 4 -> "[" + name.charAt(0) + other.charAt(0) + "]\\w+";
                case 5 -> "^" + name.substring(0, at) + ".?";
                case 6 -> "k8s_(w|c)";
                default -> commas && random.nextBoolean() ? name.substring(0, at) + "{1,2}" : "(" + name.substring(0, at);
            };
        }

        private String typo(String name) {
            int at = random.nextInt(name.length());
            return name.substring(0, at) + "x" + name.substring(at);
        }

        private String subscript() {
            int i = random.nextInt(14);
            int j = random.nextInt(14);
            return switch (random.nextInt(5)) {
                case 0 -> "[" + i + "]";
                case 1 -> "[-" + (1 + random.nextInt(13)) + "]";
                case 2 -> "[" + i + ":" + j + "]";
                case 3 -> "[" + i + ":]";
                default -> "[" + i + "-" + j + "]";
            };
        }

        private String pick(List<String> from) {
            return from.get(random.nextInt(from.size()));
        }
    }
}
