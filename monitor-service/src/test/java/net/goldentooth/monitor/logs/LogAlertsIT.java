package net.goldentooth.monitor.logs;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.goldentooth.events.Topics;
import net.goldentooth.events.logs.LogEntry;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.KafkaBrokerResource;
import net.goldentooth.testkit.TopicProbe;
import org.junit.jupiter.api.Test;

/** Against the real broker: the kernel's under-voltage line on node.logs fires UnderVoltageDetected within seconds. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class LogAlertsIT {

    @Test
    void anUnderVoltageLineFiresItsAlertWithinSeconds() throws Exception {
        String node = "logs-volt-" + UUID.randomUUID().toString().substring(0, 8);
        // The monitor reads node.logs from its end: wait until its loop is assigned, as a running monitor is.
        Thread.sleep(2000);
        long started = System.nanoTime();
        try (TopicProbe probe = new TopicProbe(KafkaBroker.shared().bootstrapServers())) {
            probe.send(Topics.NODE_LOGS, node, new LogEntry(node, "journal", null, "kernel", 2,
                    "hwmon hwmon1: Undervoltage detected!", Instant.now(), 1_000_000L, "b", null, "c1", null, null));
        }
        Map<String, Object> firing = null;
        while (firing == null && System.nanoTime() - started < Duration.ofSeconds(20).toNanos()) {
            List<Map<String, Object>> alerts = given().get("/alerts").then().statusCode(200).extract().jsonPath().getList("$");
            for (Map<String, Object> a : alerts) {
                @SuppressWarnings("unchecked")
                Map<String, String> labels = (Map<String, String>) a.get("labels");
                if ("UnderVoltageDetected".equals(a.get("alertName")) && node.equals(labels.get("node"))
                        && "firing".equals(a.get("phase"))) {
                    firing = a;
                }
            }
            Thread.sleep(200);
        }
        assertTrue(firing != null, "UnderVoltageDetected did not fire for " + node + " within 20 s");
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        assertTrue(seconds < 10, "fired after " + seconds + " s");
    }
}
