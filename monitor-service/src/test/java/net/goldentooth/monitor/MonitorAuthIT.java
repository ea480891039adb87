package net.goldentooth.monitor;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import net.goldentooth.testkit.AuthTokens;
import net.goldentooth.testkit.KafkaBrokerResource;
import org.junit.jupiter.api.Test;

/**
 * monitor-service with authentication on: the dashboard's page and script are open (they carry no
 * data), its data needs viewer, and nothing here may be changed by a viewer.
 */
@QuarkusTest
@TestProfile(MonitorAuthIT.AuthOn.class)
@QuarkusTestResource(KafkaBrokerResource.class)
class MonitorAuthIT {

    public static class AuthOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return AuthTokens.enabled();
        }
    }

    @Test
    void theDashboardShellIsOpenAndItsDataNeedsViewer() {
        given().get("/").then().statusCode(200).body(containsString("<html"));
        given().get("/app.js").then().statusCode(200);
        given().get("/alerts").then().statusCode(401).contentType(ContentType.JSON).body("status", equalTo(401));
        given().auth().oauth2("wrong").get("/nodes").then().statusCode(401);
        given().auth().oauth2(AuthTokens.VIEWER).get("/alerts").then().statusCode(200);
    }

    @Test
    void aViewerMayNotChangeAnything() {
        given().auth().oauth2(AuthTokens.VIEWER).post("/alerts").then().statusCode(403)
                .contentType(ContentType.JSON).body("error", containsString("needs operator"));
    }
}
