package net.goldentooth.provisioner.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How often a running job's status goes out on one event stream, by the job's size. */
class JobStreamsIntervalTest {

    @Test
    void smallJobsStreamEveryFiftyMillisecondsAndLargeOnesInProportionToTheirTargets() {
        assertEquals(50, JobStreams.statusIntervalMs(1));
        assertEquals(50, JobStreams.statusIntervalMs(13));
        assertEquals(50, JobStreams.statusIntervalMs(200));
        assertEquals(250, JobStreams.statusIntervalMs(1_000));
        assertEquals(2_500, JobStreams.statusIntervalMs(10_000));
        assertEquals(50, JobStreams.statusIntervalMs(0));
    }
}
