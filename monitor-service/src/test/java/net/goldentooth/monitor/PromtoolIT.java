package net.goldentooth.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Debian's promtool accepts the exported rule file (and rejects a broken one, so the check can fail). */
class PromtoolIT {

    static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    static String run(Path file, int[] exit) throws Exception {
        assertTrue(Files.isExecutable(PROMTOOL), "promtool is missing: apt-get install prometheus (see .ci/packages/monitor-service.txt)");
        Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "rules", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool hung");
        exit[0] = p.exitValue();
        return out;
    }

    @Test
    void exportedRulesPassPromtool() throws Exception {
        int[] exit = new int[1];
        String out = run(Path.of("../deploy/prometheus/goldentooth-rules.yaml"), exit);
        assertEquals(0, exit[0], out);
        assertTrue(out.contains("SUCCESS: 36 rules found"), out);
    }

    @Test
    void promtoolRejectsABrokenExpression() throws Exception {
        Path broken = Files.createTempFile("broken-rules", ".yaml");
        try {
            Files.writeString(broken, "groups:\n  - name: g\n    rules:\n      - alert: X\n        expr: \"goldentooth_node_up ==\"\n");
            int[] exit = new int[1];
            String out = run(broken, exit);
            assertTrue(exit[0] != 0, out);
        } finally {
            Files.deleteIfExists(broken);
        }
    }
}
