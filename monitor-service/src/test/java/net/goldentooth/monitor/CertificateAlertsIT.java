package net.goldentooth.monitor;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.goldentooth.events.NodeRouting;
import net.goldentooth.events.Topics;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertKind;
import net.goldentooth.events.cert.CertRenewalFailed;
import net.goldentooth.events.cert.CertRenewed;
import net.goldentooth.monitor.export.MetricNames;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.KafkaBrokerResource;
import net.goldentooth.testkit.TopicProbe;
import org.junit.jupiter.api.Test;

/**
 * Against the real broker: certificate events feed the rules (a failed renewal fires, a later
 * successful one resolves it) and the metrics the exported rules and dashboards name exist.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class CertificateAlertsIT {

    private static String phaseOf(String alertName, String lineage) {
        List<Map<String, Object>> alerts = given().get("/alerts").then().statusCode(200).extract().jsonPath().getList("$");
        for (Map<String, Object> a : alerts) {
            @SuppressWarnings("unchecked")
            Map<String, String> labels = (Map<String, String>) a.get("labels");
            if (alertName.equals(a.get("alertName")) && lineage.equals(labels.get("lineage"))) {
                return (String) a.get("phase");
            }
        }
        return null;
    }

    private static void awaitPhase(String alertName, String lineage, String phase) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (phase.equals(phaseOf(alertName, lineage))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(alertName + " for " + lineage + " never became " + phase + ", is " + phaseOf(alertName, lineage));
    }

    @Test
    void failedRenewalFiresAndASuccessfulOneResolves() throws Exception {
        String node = "it-cert-" + UUID.randomUUID().toString().substring(0, 8);
        String lineage = node + "/consul";
        Instant now = Instant.now();
        try (TopicProbe probe = new TopicProbe(KafkaBroker.shared().bootstrapServers())) {
            probe.send(Topics.CERT_ISSUED, NodeRouting.lineageKey(node, lineage), new CertIssued("r1", node, lineage,
                    "consul", CertKind.ENROLL, "0a", null, null, now.minus(Duration.ofHours(1)),
                    now.plus(Duration.ofHours(23)), null, null, now));
            probe.send(Topics.CERT_RENEWAL_FAILED, lineage, new CertRenewalFailed(node, lineage, "ca-unreachable", 1, now));
            awaitPhase("CertificateRenewalFailed", lineage, "firing");

            probe.send(Topics.CERT_RENEWED, lineage, new CertRenewed(node, lineage, "0b",
                    now.plus(Duration.ofHours(24)), Instant.now()));
            awaitPhase("CertificateRenewalFailed", lineage, "resolved");
        }
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String name : List.of(MetricNames.CERT_NOT_AFTER, MetricNames.CERT_LIFETIME, MetricNames.CERT_EXPIRY_TIER,
                MetricNames.CERT_RENEWAL_FAILING, MetricNames.ALERTS)) {
            org.hamcrest.MatcherAssert.assertThat(metrics, containsString(name + "{"));
        }
        org.hamcrest.MatcherAssert.assertThat(metrics, containsString(
                MetricNames.CERT_LIFETIME + "{lineage=\"" + lineage + "\",node=\"" + node + "\"} 86400.0"));
    }

    @Test
    void nodeMetricsExistUnderTheExportedNames() throws Exception {
        String node = "it-metrics-" + UUID.randomUUID().toString().substring(0, 8);
        try (FactsFeeder agent = new FactsFeeder(node, Duration.ofSeconds(1), at -> TestFacts.healthy(node, at))) {
            MonitorAlertStateIT.awaitLiveness(node, "up");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            String metrics = "";
            while (System.nanoTime() < deadline && !metrics.contains(MetricNames.NODE_UP + "{node=\"" + node + "\"} 1.0")) {
                metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
                Thread.sleep(200);
            }
            for (String name : List.of(MetricNames.NODE_UP, MetricNames.NODE_FACTS_AGE, MetricNames.NODE_CPU_TEMPERATURE,
                    MetricNames.NODE_LOAD1, MetricNames.NODE_MEMORY_AVAILABLE_RATIO, MetricNames.NODE_CLOCK_OFFSET,
                    MetricNames.NODE_FILESYSTEM_USED_RATIO, MetricNames.NODE_SWAP_TOTAL_BYTES, MetricNames.NODE_NTP_SYNCED,
                    MetricNames.NODE_DEFAULT_ROUTE_INFO, MetricNames.NODE_THROTTLED)) {
                org.hamcrest.MatcherAssert.assertThat(metrics, containsString(name + "{"));
            }
            org.hamcrest.MatcherAssert.assertThat(metrics, containsString(
                    MetricNames.NODE_CPU_TEMPERATURE + "{node=\"" + node + "\"} 45.0"));
        }
    }
}
