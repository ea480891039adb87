package net.goldentooth.provisioner.enrolment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.file.Path;
import net.goldentooth.events.cert.EnrolmentToken;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.provisioner.api.ProvisionerTestResource;
import net.goldentooth.testkit.KafkaBrokerResource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** POST /enrolment-tokens mints a token that verifies with the published task-signing key. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(ProvisionerTestResource.class)
class EnrolmentTokenIT {

    @ConfigProperty(name = "goldentooth.provisioner.signing-public-key")
    Path publicKey;

    @Test
    void mintsATokenForAnInventoryNodeThatVerifiesWithThePublicKey() throws Exception {
        String token = given().contentType(ContentType.JSON).body("{\"node\":\"alpha\"}")
                .when().post("/enrolment-tokens").then().statusCode(200)
                .extract().path("token");
        EnrolmentToken claims = EnrolmentToken.verify(token, SigningKeys.readPublicKey(publicKey));
        assertEquals("alpha", claims.node());
    }

    @Test
    void unknownNodeOrEmptyBodyIsA400WithApiError() {
        given().contentType(ContentType.JSON).body("{\"node\":\"nobody\"}")
                .when().post("/enrolment-tokens").then().statusCode(400)
                .body("error", containsString("not an inventory host"));
        given().contentType(ContentType.JSON).body("{}")
                .when().post("/enrolment-tokens").then().statusCode(400)
                .body("error", containsString("node"));
    }
}
