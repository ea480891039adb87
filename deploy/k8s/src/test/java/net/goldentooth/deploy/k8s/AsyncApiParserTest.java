package net.goldentooth.deploy.k8s;

import net.goldentooth.deploy.catalogue.Regenerate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * docs/asyncapi.yaml is a valid AsyncAPI 3.0 document for the official AsyncAPI parser
 * (@asyncapi/parser, pinned by src/test/asyncapi/package-lock.json, installed with npm ci into
 * target/ once), and the parser does reject a broken document, so the check can fail.
 */
class AsyncApiParserTest {

    private static final Path CHECK = Path.of("target", "asyncapi-check").toAbsolutePath();

    /** exit code and output of a command run in {@link #CHECK}. */
    private record Run(int exit, String output) {
    }

    @BeforeAll
    static void installParser() throws Exception {
        Files.createDirectories(CHECK);
        for (String file : List.of("package.json", "package-lock.json", "check.mjs")) {
            Files.copy(Path.of("src/test/asyncapi", file), CHECK.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(CHECK.resolve("node_modules/@asyncapi/parser"))) {
            Run install = run("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts");
            assertEquals(0, install.exit(), "npm ci failed:\n" + install.output());
        }
    }

    private static Run run(String... command) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(CHECK.toFile()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            fail(command[0] + " is not installed: the nodejs package (with npm) is needed (.ci/packages/deploy.txt)");
            return null;
        }
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("timed out: " + String.join(" ", command));
        }
        return new Run(process.exitValue(), output);
    }

    @Test
    void theParserAcceptsTheDocument() throws Exception {
        Run check = run("node", "check.mjs", Manifests.ROOT.resolve(Regenerate.ASYNCAPI_YAML).toString());
        assertEquals(0, check.exit(), check.output());
        assertTrue(check.output().contains("VALID: asyncapi 3.0.0"), check.output());
        assertTrue(check.output().lines().noneMatch(l -> l.startsWith("warning")), "no warnings:\n" + check.output());
    }

    @Test
    void theParserRejectsAMessageReferenceToNothing() throws Exception {
        String document = Files.readString(Manifests.ROOT.resolve(Regenerate.ASYNCAPI_YAML));
        String broken = document.replaceFirst("\\$ref: \"#/components/messages/node.facts\"",
                "\\$ref: \"#/components/messages/no.such.message\"");
        assertNotEquals(document, broken);
        Path file = CHECK.resolve("broken.yaml");
        Files.writeString(file, broken);
        Run check = run("node", "check.mjs", file.toString());
        assertNotEquals(0, check.exit(), check.output());
        assertTrue(check.output().contains("INVALID"), check.output());
    }
}
