package net.goldentooth.storage.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.goldentooth.storage.service.UnknownDatasetException;
import net.goldentooth.storage.service.UnknownTargetException;
import net.goldentooth.storage.shell.NodeShellException;
import org.junit.jupiter.api.Test;

/** Each storage exception carries its typed error; the caller's message never holds a cause's text. */
class StorageErrorTest {

    @Test
    void anUnknownDatasetIsPermanentAndHintsTheKnownOnes() {
        StorageError error = new UnknownDatasetException("rpool/nope", List.of("rpool/data")).error();
        assertEquals(StorageError.Kind.UNKNOWN_DATASET, error.kind());
        assertFalse(error.retryable());
        assertEquals("unknown dataset 'rpool/nope'", error.safeMessage());
        assertEquals(List.of("rpool/data"), error.hints());
    }

    @Test
    void anUnknownTargetIsPermanentAndHintsTheTargets() {
        StorageError error = new UnknownTargetException("fenn", List.of("bettley", "cargyll")).error();
        assertEquals(StorageError.Kind.UNKNOWN_TARGET, error.kind());
        assertFalse(error.retryable());
        assertEquals("'fenn' is not a replication target", error.safeMessage());
        assertEquals(List.of("bettley", "cargyll"), error.hints());
    }

    @Test
    void aNodeCommandKeepsItsProblemForTheLogAndTellsTheCallerWhetherToRetry() {
        NodeShellException timedOut = new NodeShellException("allyrion",
                "publishing the job failed: org.apache.kafka.common.errors.TimeoutException: secret detail", true);
        StorageError error = timedOut.error();
        assertEquals(StorageError.Kind.NODE_COMMAND, error.kind());
        assertTrue(error.retryable());
        assertEquals("allyrion: the command could not be run now", error.safeMessage());
        assertFalse(error.safeMessage().contains("secret detail"));
        assertTrue(error.details().get("problem").contains("secret detail"));
        assertEquals(List.of("retry later"), error.hints());
        // The exception's own message is unchanged (it goes to the log).
        assertTrue(timedOut.getMessage().startsWith("allyrion: publishing the job failed"));

        StorageError refused = new NodeShellException("allyrion", "job j-1 rejected: root-not-allowed", false).error();
        assertFalse(refused.retryable());
        assertEquals(List.of("check the node's agent"), refused.hints());
    }
}
