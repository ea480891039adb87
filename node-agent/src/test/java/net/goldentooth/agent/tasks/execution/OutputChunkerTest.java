package net.goldentooth.agent.tasks.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.Task;
import net.goldentooth.events.job.TaskSpec;
import org.junit.jupiter.api.Test;

/** Coalescing is given the time (nanos), so these tests step it instead of sleeping. */
class OutputChunkerTest {

    private static final long MS = 1_000_000L;

    private final List<JobProgress> sent = new CopyOnWriteArrayList<>();
    private final TaskProgress progress = new TaskProgress(
            new Task("job-1", "task-1", "bettley", new TaskSpec("x", null, false, 1000, 1000), Instant.EPOCH,
                    Instant.EPOCH), (key, p) -> sent.add(p), Clock.systemUTC());

    @Test
    void smallWritesWithin50msBecomeOneChunk() {
        OutputChunker chunker = new OutputChunker(progress, 1 << 20);
        chunker.append("stdout", "a", 0);
        chunker.append("stdout", "b", 10 * MS);
        chunker.flushDue(49 * MS);
        assertTrue(sent.isEmpty());
        chunker.flushDue(50 * MS);
        assertEquals(1, sent.size());
        assertEquals("ab", sent.get(0).data());
        assertEquals("stdout", sent.get(0).stream());
    }

    @Test
    void aFullBufferIsSentAtOnceInChunksOfAtMost8KiB() {
        OutputChunker chunker = new OutputChunker(progress, 1 << 20);
        chunker.append("stderr", "x".repeat(20_000), 0);
        assertEquals(List.of(8192, 8192), sent.stream().map(p -> p.data().length()).toList());
        chunker.flushAll();
        assertEquals(20_000, sent.stream().mapToInt(p -> p.data().length()).sum());
        assertEquals(List.of(0L, 1L, 2L), sent.stream().map(JobProgress::seq).toList());
    }

    @Test
    void theCapCountsBytesAndNeverSplitsACharacter() {
        OutputChunker chunker = new OutputChunker(progress, 10);
        chunker.append("stdout", "ééééé€", 0); // 5 x 2 bytes fill the cap exactly; the 3-byte euro is dropped
        chunker.flushAll();
        assertEquals("ééééé", sent.get(0).data());
        assertEquals(10, sent.get(0).data().getBytes(StandardCharsets.UTF_8).length);
        assertTrue(chunker.truncated());
    }

    @Test
    void underTheCapNothingIsTruncated() {
        OutputChunker chunker = new OutputChunker(progress, 10);
        chunker.append("stdout", "0123456789", 0);
        chunker.flushAll();
        assertFalse(chunker.truncated());
    }
}
