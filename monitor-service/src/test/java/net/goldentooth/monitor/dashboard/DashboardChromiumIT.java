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
import net.goldentooth.monitor.FactsFeeder;
import net.goldentooth.monitor.TestFacts;
import net.goldentooth.testkit.KafkaBrokerResource;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in real headless Chromium: the node's tile shows up, and after its agent stops the
 * tile turns down over SSE within the liveness window, without a reload. Screenshots are saved
 * under target/ for the record.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class DashboardChromiumIT {

    @TestHTTPResource("/")
    URL dashboard;

    private static String liveness(WebDriverClient browser, String node) throws Exception {
        return browser.script("const t = document.querySelector('[data-node=\"" + node + "\"]');"
                + " return t ? t.getAttribute('data-liveness') : null;").asText(null);
    }

    private static void awaitLiveness(WebDriverClient browser, String node, java.util.Set<String> wanted, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String seen = null;
        while (System.nanoTime() < deadline) {
            seen = liveness(browser, node);
            if (seen != null && wanted.contains(seen)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("tile of " + node + " never became " + wanted + ", last " + seen);
    }

    @Test
    void tileTurnsDownWithoutReloadWhenTheAgentStops() throws Exception {
        String node = "it-dash-" + UUID.randomUUID().toString().substring(0, 8);
        Path target = Path.of("target");
        Files.createDirectories(target);
        try (FactsFeeder agent = new FactsFeeder(node, Duration.ofSeconds(1), at -> TestFacts.healthy(node, at));
             WebDriverClient browser = new WebDriverClient(target.resolve("chromedriver.log"))) {
            browser.open(dashboard.toString());
            awaitLiveness(browser, node, java.util.Set.of("up"), Duration.ofSeconds(30));
            browser.script("window.__sameDocument = 'marker'; return true;");
            assertTrue(browser.script("return document.querySelectorAll('[data-chart=\"" + node
                    + "\"] [data-series=\"temperature\"] circle').length;").asInt() == 1, "the temperature chart is drawn");
            browser.screenshot(target.resolve("dashboard-node-up.png"));

            agent.stop();
            Instant stopped = Instant.now();
            awaitLiveness(browser, node, java.util.Set.of("down", "node-down", "agent-down"), Duration.ofSeconds(30));
            Duration took = Duration.between(stopped, Instant.now());
            assertEquals("marker", browser.script("return window.__sameDocument;").asText(), "the page was reloaded");
            assertTrue(browser.script("return document.querySelector('[data-node=\"" + node + "\"]').classList.contains('down');")
                    .asBoolean(), "the down tile is drawn red");
            assertTrue(took.compareTo(Duration.ofSeconds(15)) < 0, "tile turned down after " + took);
            browser.screenshot(target.resolve("dashboard-node-down.png"));

            browser.windowSize(390, 844);
            assertTrue(browser.script("return document.documentElement.scrollWidth <= window.innerWidth + 1;").asBoolean(),
                    "no horizontal scrolling on a phone-sized screen");
            browser.screenshot(target.resolve("dashboard-phone.png"));
        }
    }
}
