package net.goldentooth.monitor.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import net.goldentooth.events.Topics;
import net.goldentooth.events.logs.LogEntry;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.KafkaBrokerResource;
import net.goldentooth.testkit.TopicProbe;
import org.junit.jupiter.api.Test;

/**
 * The logs page in real headless Chromium: a node's and a unit's lines from the address, then
 * follow mode showing a new line without a reload.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class LogsPageChromiumIT {

    @TestHTTPResource("/logs.html")
    URL page;

    private static LogEntry line(String node, String unit, int priority, String message, String cursor) {
        return new LogEntry(node, "journal", unit, unit, priority, message, Instant.now(), null, null, 42, cursor, null, null);
    }

    private static String awaitText(WebDriverClient browser, String script, String wanted) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String seen = null;
        while (System.nanoTime() < deadline) {
            seen = browser.script(script).asText(null);
            if (seen != null && seen.contains(wanted)) {
                return seen;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("never saw '" + wanted + "', last: " + seen);
    }

    @Test
    void aNodesUnitLinesShowAndFollowModeAddsNewOnesWithoutReload() throws Exception {
        String node = "it-logs-" + UUID.randomUUID().toString().substring(0, 8);
        Path target = Path.of("target");
        Files.createDirectories(target);
        try (TopicProbe probe = new TopicProbe(KafkaBroker.shared().bootstrapServers());
             WebDriverClient browser = new WebDriverClient(target.resolve("chromedriver-logs.log"))) {
            probe.send(Topics.NODE_LOGS, node, line(node, "ssh", 4, "Failed password for root from 10.4.0.9", "1"));
            probe.send(Topics.NODE_LOGS, node, line(node, "kubelet", 6, "Started kubelet", "2"));
            browser.open(page + "?pattern=" + node + "&unit=ssh");
            String shown = awaitText(browser, "return document.getElementById('lines').innerText;", "Failed password");
            assertTrue(!shown.contains("Started kubelet"), "only the ssh unit: " + shown);
            assertEquals(node, browser.script("return document.querySelector('#lines div').dataset.node;").asText());

            browser.script("window.__sameDocument = 'marker'; const f = document.querySelector('[name=follow]');"
                    + " f.checked = true; f.dispatchEvent(new Event('change')); return true;");
            awaitText(browser, "return document.getElementById('state').textContent;", "following");
            probe.send(Topics.NODE_LOGS, node, line(node, "ssh", 3, "Invalid user admin from 10.4.0.9 port 40000", "3"));
            awaitText(browser, "return document.getElementById('lines').innerText;", "Invalid user admin");
            assertEquals("marker", browser.script("return window.__sameDocument;").asText(), "the page was reloaded");
            assertTrue(browser.script("return location.search;").asText().contains("follow=1"), "follow is in the address");
            browser.screenshot(target.resolve("logs-follow.png"));
        }
    }
}
