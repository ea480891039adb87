package net.goldentooth.provisioner.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.testkit.AuthTokens;
import net.goldentooth.testkit.KafkaBrokerResource;
import org.junit.jupiter.api.Test;

/**
 * The provisioner with authentication on: 401 without or with an unknown token, 403 for a role too
 * low (including {@code command_root} for an operator, decided from the body), 2xx for the right
 * role, health open, and no token value in any log record.
 */
@QuarkusTest
@TestProfile(ProvisionerAuthIT.AuthOn.class)
class ProvisionerAuthIT {

    static final String VIEWER = AuthTokens.VIEWER;
    static final String OPERATOR = AuthTokens.OPERATOR;
    static final String ADMIN = AuthTokens.ADMIN;

    /**
     * Authentication on, with one token per role in a temporary tokens file, and only this test's
     * resources: other tests' global resources would put their own inventory in place.
     */
    public static class AuthOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new java.util.HashMap<>(AuthTokens.enabled());
            overrides.put("quarkus.http.cors.origins", DASHBOARD);
            return overrides;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KafkaBrokerResource.class),
                    new TestResourceEntry(ProvisionerTestResource.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    static final String DASHBOARD = "http://dashboard.test:8084";

    @Test
    void theDashboardsOriginMayCallWithItsTokenAndNoOtherOrigin() {
        // The browser's preflight carries no token; it is answered for the configured origin only.
        given().header("Origin", DASHBOARD).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type").options("/jobs")
                .then().statusCode(200).header("Access-Control-Allow-Origin", DASHBOARD);
        String refused = given().header("Origin", "http://evil.test").header("Access-Control-Request-Method", "POST")
                .options("/jobs").then().extract().header("Access-Control-Allow-Origin");
        assertTrue(refused == null || !refused.contains("evil"), "another origin was allowed: " + refused);
        // The request itself is authenticated as any other, whatever its origin (rest-edge refuses it
        // before Quarkus' CORS filter runs, so the browser sees only that it failed).
        given().header("Origin", DASHBOARD).contentType(ContentType.JSON).body(job(JobKind.COMMAND)).post("/jobs")
                .then().statusCode(401);
        given().header("Origin", DASHBOARD).auth().oauth2(OPERATOR).contentType(ContentType.JSON)
                .body(job(JobKind.COMMAND_ROOT)).post("/jobs")
                .then().statusCode(403).header("Access-Control-Allow-Origin", DASHBOARD);
        given().header("Origin", DASHBOARD).auth().oauth2(VIEWER).get("/inventory/hosts?pattern=all")
                .then().statusCode(200).header("Access-Control-Allow-Origin", DASHBOARD)
                .body("hosts", org.hamcrest.Matchers.hasItem("alpha"));
    }

    @Test
    void aPatternPreviewNamesTheHostsOrSaysWhyNot() {
        given().auth().oauth2(VIEWER).get("/inventory/hosts?pattern=alpha").then().statusCode(200)
                .body("pattern", equalTo("alpha")).body("hosts", equalTo(List.of("alpha")));
        given().auth().oauth2(VIEWER).get("/inventory/hosts?pattern=no_such_group").then().statusCode(400)
                .body("error", containsString("no_such_group"));
        given().auth().oauth2(VIEWER).get("/inventory/hosts").then().statusCode(400)
                .body("error", containsString("empty"));
        given().get("/inventory/hosts?pattern=alpha").then().statusCode(401);
    }

    private static String job(JobKind kind) {
        return EventCodec.encodeToString(new JobRequest(null, kind, "alpha", "true", null, 30, null, false, "auth-it"));
    }

    @Test
    void readsNeedViewerAndAnswer401AsApiError() {
        given().get("/jobs").then().statusCode(401).contentType(ContentType.JSON)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo(401)).body("error", containsString("authentication required"));
        given().auth().oauth2("not-a-token").get("/jobs").then().statusCode(401)
                .body("error", containsString("not known"));
        given().auth().oauth2(VIEWER).get("/jobs").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void jobsNeedOperatorAndRootJobsNeedAdmin() {
        given().auth().oauth2(VIEWER).contentType(ContentType.JSON).body(job(JobKind.COMMAND)).post("/jobs")
                .then().statusCode(403).body("status", equalTo(403)).body("error", containsString("needs operator"));
        given().auth().oauth2(OPERATOR).contentType(ContentType.JSON).body(job(JobKind.COMMAND)).post("/jobs")
                .then().statusCode(201);
        given().auth().oauth2(OPERATOR).contentType(ContentType.JSON).body(job(JobKind.COMMAND_ROOT)).post("/jobs")
                .then().statusCode(403).contentType(ContentType.JSON)
                .body("error", equalTo("olga has role operator; command_root jobs needs admin"));
        given().auth().oauth2(ADMIN).contentType(ContentType.JSON).body(job(JobKind.COMMAND_ROOT)).post("/jobs")
                .then().statusCode(201);
        // A playbook runs as root on every node it reaches, whichever way it is asked for.
        given().auth().oauth2(OPERATOR).contentType(ContentType.JSON).body(job(JobKind.PLAYBOOK)).post("/jobs")
                .then().statusCode(403).body("error", equalTo("olga has role operator; playbook jobs needs admin"));
        given().auth().oauth2(OPERATOR).contentType(ContentType.JSON).body("{}").post("/playbooks/setup_node_agent")
                .then().statusCode(403).body("error", containsString("needs admin"));
    }

    @Test
    void enrolmentTokensNeedAdmin() {
        given().auth().oauth2(OPERATOR).contentType(ContentType.JSON).body("{\"node\":\"alpha\"}")
                .post("/enrolment-tokens").then().statusCode(403).body("error", containsString("needs admin"));
        given().auth().oauth2(ADMIN).contentType(ContentType.JSON).body("{\"node\":\"alpha\"}")
                .post("/enrolment-tokens").then().statusCode(200).body("node", equalTo("alpha"));
    }

    @Test
    void noLogRecordCarriesATokenValue() {
        List<String> messages = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                String text = record.getMessage();
                if (record.getParameters() != null) {
                    text = text + " " + List.of(record.getParameters());
                }
                messages.add(text + " " + record.getThrown());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            given().auth().oauth2("wrong-" + ADMIN).get("/jobs").then().statusCode(401);
            given().auth().oauth2(VIEWER).contentType(ContentType.JSON).body(job(JobKind.COMMAND)).post("/jobs")
                    .then().statusCode(403);
            given().auth().oauth2(ADMIN).contentType(ContentType.JSON).body(job(JobKind.COMMAND)).post("/jobs")
                    .then().statusCode(201);
        } finally {
            root.removeHandler(capture);
        }
        assertTrue(messages.stream().anyMatch(m -> m.contains("refused")), "the refusals are logged: " + messages);
        for (String token : List.of(VIEWER, OPERATOR, ADMIN)) {
            assertFalse(messages.stream().anyMatch(m -> m.contains(token)), token + " appears in " + messages);
        }
    }
}
