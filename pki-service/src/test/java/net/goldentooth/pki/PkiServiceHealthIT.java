package net.goldentooth.pki;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import net.goldentooth.testkit.KafkaBrokerResource;
import org.junit.jupiter.api.Test;

/** Against the real broker: readiness includes the Kafka connection, and metrics are Prometheus text. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(net.goldentooth.pki.it.PkiTestResource.class)
class PkiServiceHealthIT {

    @Test
    void readyWithKafkaAndExposesPrometheusMetrics() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.hasItem(containsString("Kafka")));
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"));
    }
}
