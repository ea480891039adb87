package net.goldentooth.pki.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import net.goldentooth.testkit.AuthTokens;
import net.goldentooth.testkit.KafkaBrokerResource;
import org.junit.jupiter.api.Test;

/** pki-service with authentication on: reads need viewer; CA initialisation and revocation need admin. */
@QuarkusTest
@TestProfile(PkiAuthIT.AuthOn.class)
class PkiAuthIT {

    public static class AuthOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return AuthTokens.enabled();
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KafkaBrokerResource.class), new TestResourceEntry(PkiTestResource.class));
        }
    }

    @Test
    void readsNeedViewer() {
        given().get("/ca").then().statusCode(401).contentType(ContentType.JSON).body("status", equalTo(401));
        given().auth().oauth2(AuthTokens.VIEWER).get("/ca").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void initAndRevocationNeedAdmin() {
        given().auth().oauth2(AuthTokens.OPERATOR).post("/ca/init").then().statusCode(403)
                .contentType(ContentType.JSON).body("error", equalTo("olga has role operator; POST /ca/init needs admin"));
        given().auth().oauth2(AuthTokens.OPERATOR).post("/lineages/alpha/canary/revoke").then().statusCode(403)
                .body("error", containsString("needs admin"));
        given().auth().oauth2(AuthTokens.ADMIN).post("/ca/init").then().statusCode(200)
                .body("initialised", equalTo(true));
    }
}
