package net.goldentooth.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.facts.ServiceCheck;
import net.goldentooth.events.heartbeat.NodeHeartbeat;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.ProgressKind;
import net.goldentooth.events.job.TargetState;
import net.goldentooth.events.k8s.NodeConditions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every event type has a golden sample that decodes and encodes back to the same JSON tree. */
class GoldenSampleTest {

    static Iterable<String> topics() {
        return EventCodec.TOPIC_TYPES.keySet();
    }

    @ParameterizedTest
    @MethodSource("topics")
    void goldenSampleRoundTrips(String topic) throws IOException {
        byte[] golden = golden(topic);
        Object decoded = EventCodec.decode(golden, EventCodec.TOPIC_TYPES.get(topic));
        JsonNode expected = EventCodec.mapper().readTree(golden);
        JsonNode actual = EventCodec.mapper().readTree(EventCodec.encode(decoded));
        assertEquals(expected, actual, "round trip of " + topic);
        assertEquals(decoded, EventCodec.decode(EventCodec.encode(decoded), decoded.getClass()));
    }

    @Test
    void samplesCarryTheirMeaning() throws IOException {
        JobStatus status = EventCodec.decode(golden(Topics.JOB_STATUS), JobStatus.class);
        assertEquals(TargetState.TIMED_OUT, status.targets().get("fenn").state());
        NodeFacts facts = EventCodec.decode(golden(Topics.NODE_FACTS), NodeFacts.class);
        assertEquals("eth0", facts.network().value().defaultRouteNic());
        assertTrue(facts.filesystems().stale());
        assertEquals("1", facts.kernel().value().sysctls().get("net.ipv4.ip_forward"));
        assertEquals("/etc/kubernetes/pki/apiserver.crt", facts.certificates().value().get(0).path());
        assertEquals(false, facts.certificates().value().get(0).managed());
        assertEquals(ServiceCheck.State.WARNING, facts.services().value().get(0).state());
        assertEquals(1.0, facts.services().value().get(0).number("members.failed"));
        assertEquals(ServiceCheck.State.UNKNOWN, facts.services().value().get(1).state());
        assertEquals(18234.56, facts.counters().value().cpuBusySeconds());
        assertEquals(92_837_465_012L, facts.counters().value().networkReceiveBytes(), "beyond an int: 86 GiB received");
        JobProgress progress = EventCodec.decode(golden(Topics.JOB_PROGRESS), JobProgress.class);
        assertEquals(ProgressKind.FINISHED, progress.kind());
        NodeConditions conditions = EventCodec.decode(golden(Topics.NODE_CONDITIONS), NodeConditions.class);
        assertEquals("NoSchedule", conditions.taints().get(0).effect());
        assertEquals("KubeletReady", conditions.conditions().get(1).reason());
        NodeHeartbeat beat = EventCodec.decode(golden(Topics.NODE_HEARTBEAT), NodeHeartbeat.class);
        assertTrue(beat.fromAgent());
        assertEquals(-691_199_880L, beat.clockOffsetMillis(), "the seed's node, 8 days behind");
    }

    @Test
    void heartbeatWithoutARoleIsAnAgentsAndTopicsTimeByAppend() {
        NodeHeartbeat old = EventCodec.decode("{\"node\":\"n\",\"seq\":1,\"intervalMillis\":1000}", NodeHeartbeat.class);
        assertTrue(old.fromAgent());
        assertEquals(null, old.clockOffsetMillis());
        assertTrue(Topics.CATALOGUE.stream().filter(t -> t.name().equals(Topics.NODE_HEARTBEAT)).findFirst()
                .orElseThrow().logAppendTime());
        assertTrue(Topics.CATALOGUE.stream().filter(t -> t.name().equals(Topics.NODE_HEARTBEAT)).findFirst()
                .orElseThrow().dlq().extraConfigs().isEmpty(), "dead letters keep the producer's time");
    }

    @Test
    void malformedJsonIsPoisonWithAReason() {
        PoisonMessageException e = assertThrows(PoisonMessageException.class,
                () -> EventCodec.decode("{not json", JobProgress.class));
        assertTrue(e.getMessage().startsWith("not a valid JobProgress"), e.getMessage());
    }

    @Test
    void unknownEnumValueIsPoisonNamingTheKnownValues() {
        PoisonMessageException e = assertThrows(PoisonMessageException.class,
                () -> EventCodec.decode("{\"jobId\":\"j\",\"kind\":\"exploded\",\"seq\":0}", JobProgress.class));
        assertTrue(e.getMessage().contains("accepted, started, output, finished, rejected"), e.getMessage());
    }

    @Test
    void wrongEventTypeOnATopicIsPoison() {
        PoisonMessageException e = assertThrows(PoisonMessageException.class,
                () -> EventCodec.decodeFromTopic(Topics.JOB_PROGRESS, "net.goldentooth.job.status.v1",
                        golden(Topics.JOB_PROGRESS), JobProgress.class));
        assertTrue(e.getMessage().contains("unknown event type"), e.getMessage());
    }

    @Test
    void emptyPayloadIsPoison() {
        assertThrows(PoisonMessageException.class, () -> EventCodec.decode(new byte[0], JobStatus.class));
        assertThrows(PoisonMessageException.class, () -> EventCodec.decode("null", JobStatus.class));
    }

    @Test
    void cloudEventTypeFollowsTheTopic() {
        Map<String, byte[]> headers = CloudEventHeaders.forEvent(Topics.JOB_STATUS, "//provisioner",
                java.time.Instant.parse("2026-11-25T10:00:00Z"));
        assertEquals("net.goldentooth.job.status.v1", new String(headers.get(CloudEventHeaders.TYPE)));
        assertEquals("1.0", new String(headers.get(CloudEventHeaders.SPEC_VERSION)));
    }

    private static byte[] golden(String topic) throws IOException {
        try (InputStream in = GoldenSampleTest.class.getResourceAsStream("/golden/" + topic + ".json")) {
            if (in == null) {
                throw new IOException("no golden sample for " + topic);
            }
            return in.readAllBytes();
        }
    }
}
