package net.goldentooth.storage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.oneOf;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import net.goldentooth.testkit.AuthTokens;
import net.goldentooth.testkit.KafkaBrokerResource;
import org.junit.jupiter.api.Test;

/** storage-service with authentication on: reads need viewer, snapshots need operator. */
@QuarkusTest
@TestProfile(StorageAuthIT.AuthOn.class)
@QuarkusTestResource(KafkaBrokerResource.class)
class StorageAuthIT {

    public static class AuthOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return AuthTokens.enabled();
        }
    }

    @Test
    void readsNeedViewer() {
        given().get("/storage/status").then().statusCode(401).contentType(ContentType.JSON)
                .body("status", equalTo(401));
        given().auth().oauth2(AuthTokens.VIEWER).get("/storage/status").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void snapshotsNeedOperator() {
        given().auth().oauth2(AuthTokens.VIEWER).post("/storage/snapshot/tank/none").then().statusCode(403)
                .contentType(ContentType.JSON).body("error", equalTo("val has role viewer; POST /storage/snapshot/tank/none needs operator"));
        // Past authorisation the resource answers for itself (the dataset is unknown here).
        given().auth().oauth2(AuthTokens.OPERATOR).post("/storage/snapshot/tank/none").then()
                .statusCode(not(oneOf(401, 403)));
    }
}
