package net.goldentooth.agent.certs.renewal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent's failure codes are a contract with whoever reads {@code cert.renewal-failed}: their spelling is fixed. */
class RenewalFailureTest {

    @Test
    void theCodesAreTheDocumentedOnes() {
        assertEquals(List.of("timeout", "no-token", "no-key", "bad-answer", "write-failed", "reload-failed",
                "probe-failed"), Arrays.stream(RenewalFailure.values()).map(RenewalFailure::code).toList());
    }
}
