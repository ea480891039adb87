package net.goldentooth.provisioner.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputBudgetTest {

    @Test
    void outputWithinTheBudgetStreamsWholeAndLeavesNothingBehind() {
        OutputBudget budget = new OutputBudget(4096, 1024);
        StringBuilder streamed = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            streamed.append(budget.accept("line " + i + "\n"));
        }
        streamed.append(budget.finish("/log"));
        assertEquals(expectedLines(10), streamed.toString());
        assertFalse(budget.truncated());
    }

    @Test
    void outputJustOverTheHeadIsHeldBackAndWrittenWholeAtTheEnd() {
        OutputBudget budget = new OutputBudget(2048, 1024);
        // head = 2048 - 256 - 448 (a quarter of the rest caps the tail) = 1344 bytes
        String head = "h".repeat(1344);
        assertEquals(head, budget.accept(head));
        assertEquals("", budget.accept("tail"));
        assertEquals("tail", budget.finish("/log"));
        assertFalse(budget.truncated());
    }

    @Test
    void longOutputKeepsTheHeadANoteAndTheEndWithinTheCap() {
        int max = 8192;
        OutputBudget budget = new OutputBudget(max, 1024);
        StringBuilder kept = new StringBuilder();
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            String line = "line " + i + " ü\n";
            all.append(line);
            kept.append(budget.accept(line));
        }
        kept.append(budget.finish("/var/log/job.log"));
        assertTrue(budget.truncated());
        String text = kept.toString();
        assertTrue(text.startsWith("line 0 ü\nline 1 ü\n"), text.substring(0, 40));
        assertTrue(text.endsWith("line 1998 ü\nline 1999 ü\n"), text);
        assertTrue(text.contains("bytes of output left out here; the full output is in /var/log/job.log]"), text);
        assertTrue(text.getBytes(StandardCharsets.UTF_8).length <= max, "within the cap");
        long omitted = Long.parseLong(text.replaceAll("(?s).*\\[goldentooth: (\\d+) bytes.*", "$1"));
        String note = text.substring(text.indexOf("\n[goldentooth:"), text.indexOf("]\n") + 2);
        assertEquals(all.toString().getBytes(StandardCharsets.UTF_8).length,
                text.getBytes(StandardCharsets.UTF_8).length - note.getBytes(StandardCharsets.UTF_8).length + omitted,
                "kept plus omitted is everything");
    }

    private static String expectedLines(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append("line ").append(i).append('\n');
        }
        return s.toString();
    }
}
