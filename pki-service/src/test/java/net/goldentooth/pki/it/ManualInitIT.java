package net.goldentooth.pki.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import net.goldentooth.testkit.KafkaBrokerResource;
import org.junit.jupiter.api.Test;

/** With {@code auto-init=false} the CA waits for {@code POST /ca/init}, which is idempotent. */
@QuarkusTest
@TestProfile(ManualInitIT.ManualInit.class)
class ManualInitIT {

    public static class ManualInit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("goldentooth.pki.auto-init", "false");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KafkaBrokerResource.class), new TestResourceEntry(PkiTestResource.class));
        }
    }

    @Test
    void caWaitsForInitThenInitIsIdempotent() {
        given().get("/ca").then().statusCode(200).body("initialised", equalTo(false));
        given().get("/crl").then().statusCode(409).body("error", containsString("POST /ca/init"));
        String fingerprint = given().post("/ca/init").then().statusCode(200).body("initialised", equalTo(true))
                .extract().path("sshUserCaFingerprint");
        given().post("/ca/init").then().statusCode(200).body("sshUserCaFingerprint", equalTo(fingerprint));
        String crl = given().get("/crl").then().statusCode(200).extract().asString();
        assertEquals(true, crl.contains("BEGIN X509 CRL"), crl);
        given().get("/q/health/ready").then().statusCode(200);
    }
}
