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

    private static final String SILENCE = "{\"matchers\":[{\"name\":\"alertname\",\"value\":\"AuthItAlert\","
            + "\"isRegex\":false,\"isEqual\":true}],\"duration\":\"1h\",\"comment\":\"maintenance\"}";

    /** Silences: viewers read them, operators make them, and the author is the token's name, not the body's. */
    @Test
    void silencesNeedOperatorAndAreAuthoredByTheCaller() {
        given().auth().oauth2(AuthTokens.VIEWER).contentType(ContentType.JSON).body(SILENCE).post("/silences")
                .then().statusCode(403).body("error", containsString("needs operator"));
        given().contentType(ContentType.JSON).body(SILENCE).post("/silences").then().statusCode(401);
        String withAuthor = SILENCE.replace("\"comment\"", "\"createdBy\":\"mallory\",\"comment\"");
        String id = given().auth().oauth2(AuthTokens.OPERATOR).contentType(ContentType.JSON).body(withAuthor)
                .post("/silences").then().statusCode(201).body("state", equalTo("active"))
                .body("silence.createdBy", equalTo("olga")).extract().path("silence.id");
        given().auth().oauth2(AuthTokens.VIEWER).get("/silences").then().statusCode(200)
                .body("find { it.silence.id == '" + id + "' }.silence.comment", equalTo("maintenance"));
        given().auth().oauth2(AuthTokens.VIEWER).post("/silences/" + id + "/expire").then().statusCode(403);
        given().auth().oauth2(AuthTokens.VIEWER).delete("/silences/" + id).then().statusCode(403);
        given().auth().oauth2(AuthTokens.OPERATOR).post("/silences/" + id + "/expire").then().statusCode(200)
                .body("state", equalTo("expired")).body("silence.updatedBy", equalTo("olga"));
        given().auth().oauth2(AuthTokens.ADMIN).delete("/silences/" + id).then().statusCode(204);
        given().auth().oauth2(AuthTokens.ADMIN).delete("/silences/" + id).then().statusCode(404);
        given().auth().oauth2(AuthTokens.OPERATOR).contentType(ContentType.JSON)
                .body("{\"matchers\":[],\"duration\":\"forever\"}").post("/silences").then().statusCode(400)
                .body("error", containsString("matchers")).body("error", containsString("duration"))
                .body("error", containsString("comment"));
        given().auth().oauth2(AuthTokens.OPERATOR).contentType(ContentType.JSON).body("{not json").post("/silences")
                .then().statusCode(400);
    }
}
