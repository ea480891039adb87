package net.goldentooth.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Hostile HTTP against the four REST services, run as their packaged processes with
 * authentication on (a bearer token of role admin, so that requests reach the endpoints; some
 * requests carry no token or a wrong one). Every endpoint gets mutated bodies (from
 * {@link PoisonGenerator}), hostile path and query parameters, huge inputs, wrong content types,
 * wrong {@code Accept} headers and wrong methods; unknown paths and malformed request lines are
 * sent too.
 *
 * <p>Invariant: no answer is a 5xx and none hangs (each request has a timeout); every 4xx carries
 * an {@code ApiError} JSON body whose {@code status} is the answer's and whose {@code error} says
 * what was wrong. A fuzzed request that happens to be valid may succeed (2xx). Endpoints that take
 * no input and act on nodes ({@code POST /storage/nfs/apply}, {@code GET /storage/nfs/health},
 * {@code POST /ca/init}) are only called with wrong methods and bodies that cannot make them valid.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestFuzzIT {

    private static final String TOKEN = "e2e-fuzz-" + UUID.randomUUID();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    private static final int VARIANTS_PER_ENDPOINT = 40;
    private static final List<String> CONTENT_TYPES = List.of("application/json", "text/plain", "application/xml",
            "application/x-www-form-urlencoded", "multipart/form-data", "garbage/garbage", "application/json; charset=ebcdic",
            "", "*/*");
    private static final List<String> ACCEPTS = List.of("application/json", "*/*", "text/html", "application/xml",
            "image/png", "text/event-stream", "garbage");
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
    /** Lists the cluster's nodes from the Kubernetes API: no input, and no Kubernetes here (502). */
    private static final String K8S_NODES = "/k8s/nodes";

    /** One endpoint: method, path template with {@code {param}} segments, a valid body or null. */
    record Endpoint(String method, String path, byte[] body) {
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final PoisonGenerator mutator = new PoisonGenerator(4242L, EventCodec.TOPIC_TYPES);
    private final Random random = new Random(4242L);
    private final Map<String, ServiceProcess> services = new TreeMap<>();
    private Path dir;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("e2e-fuzz");
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(TOKEN.getBytes(StandardCharsets.UTF_8)));
        Files.writeString(dir.resolve("tokens"), hash + " admin e2e-fuzz\n");
        Files.setPosixFilePermissions(dir.resolve("tokens"), PosixFilePermissions.fromString("rw-------"));
        Files.writeString(dir.resolve("inventory.yaml"), "all:\n  hosts:\n    f1: {ansible_host: 127.0.0.1}\n");
        Files.writeString(dir.resolve("ca-password"), "e2e-" + UUID.randomUUID());
        Files.setPosixFilePermissions(dir.resolve("ca-password"), PosixFilePermissions.fromString("rw-------"));
        String bootstrap = KafkaBroker.shared().bootstrapServers();
        Map<String, String> auth = Map.of("goldentooth.auth.enabled", "true",
                "goldentooth.auth.tokens-file", dir.resolve("tokens").toString());
        List<ServiceProcess> started = Http.startAll(
                () -> ServiceProcess.start("fuzz-provisioner", "provisioner", with(auth, Map.of(
                        "kafka.bootstrap.servers", bootstrap,
                        "goldentooth.provisioner.inventory", dir.resolve("inventory.yaml").toString(),
                        "goldentooth.provisioner.signing-key", dir.resolve("task-signing.key").toString(),
                        "goldentooth.provisioner.signing-public-key", dir.resolve("task-signing.pub").toString(),
                        "goldentooth.provisioner.accept-deadline", "2s")), dir),
                () -> ServiceProcess.start("fuzz-pki", "pki-service", with(auth, Map.of(
                        "kafka.bootstrap.servers", bootstrap,
                        "goldentooth.pki.state-dir", dir.resolve("pki").toString(),
                        "goldentooth.pki.password-file", dir.resolve("ca-password").toString(),
                        "goldentooth.pki.inventory", dir.resolve("inventory.yaml").toString(),
                        "goldentooth.pki.token-signing-public-key", dir.resolve("task-signing.pub").toString())), dir),
                () -> ServiceProcess.start("fuzz-monitor", "monitor-service", with(auth, Map.of(
                        "kafka.bootstrap.servers", bootstrap)), dir),
                () -> ServiceProcess.start("fuzz-storage", "storage-service", with(auth, Map.of(
                        "kafka.bootstrap.servers", bootstrap,
                        "goldentooth.storage.inventory", dir.resolve("inventory.yaml").toString(),
                        "goldentooth.storage.sanoid-config", dir.resolve("no-sanoid.conf").toString(),
                        "goldentooth.storage.scheduler-enabled", "false")), dir));
        List<String> names = List.of("provisioner", "pki", "monitor", "storage");
        for (int i = 0; i < names.size(); i++) {
            services.put(names.get(i), started.get(i));
        }
    }

    private static Map<String, String> with(Map<String, String> a, Map<String, String> b) {
        Map<String, String> all = new TreeMap<>(a);
        all.putAll(b);
        return all;
    }

    @AfterAll
    void stop() {
        services.values().forEach(ServiceProcess::close);
    }

    @Test
    void everyHostileRequestIsAnsweredWithA4xxApiErrorNeverA5xxOrAHang() throws Exception {
        byte[] job = EventCodec.encode(new JobRequest(null, JobKind.COMMAND, "f1", "true", null, 5, null, false,
                "e2e-fuzz"));
        Map<String, List<Endpoint>> endpoints = new TreeMap<>();
        endpoints.put("provisioner", new ArrayList<>(List.of(
                new Endpoint("POST", "/jobs", job),
                new Endpoint("GET", "/jobs/{id}", null),
                new Endpoint("GET", "/jobs/{id}/events", null),
                new Endpoint("GET", "/jobs?offset={n}&limit={n}&state={s}&node={s}&pattern={s}", null),
                new Endpoint("GET", "/inventory", null),
                new Endpoint("GET", "/nodes", null),
                new Endpoint("POST", "/enrolment-tokens", "{\"node\":\"f1\"}".getBytes(StandardCharsets.UTF_8)))));
        endpoints.get("provisioner").addAll(discovered(services.get("provisioner"), endpoints.get("provisioner")));
        endpoints.put("pki", List.of(
                new Endpoint("GET", "/ca", null),
                new Endpoint("GET", "/certs", null),
                new Endpoint("POST", "/lineages/{node}/{service}/revoke", null),
                new Endpoint("POST", "/lineages/{s}/revoke", null),
                new Endpoint("GET", "/revocations", null),
                new Endpoint("GET", "/crl", null)));
        endpoints.put("monitor", List.of(
                new Endpoint("GET", "/alerts?state={s}", null),
                new Endpoint("GET", "/nodes", null),
                new Endpoint("GET", "/events", null),
                new Endpoint("GET", "/", null)));
        endpoints.put("storage", List.of(
                new Endpoint("GET", "/storage/status", null),
                new Endpoint("GET", "/storage/plan/{s}", null),
                new Endpoint("POST", "/storage/snapshot/{s}", null),
                new Endpoint("POST", "/storage/replicate/{s}?to={s}", null),
                new Endpoint("GET", "/storage/nfs", null)));
        Map<String, List<String>> wrongMethodOnly = Map.of(
                "storage", List.of("/storage/nfs/apply", "/storage/nfs/health"),
                "pki", List.of("/ca/init"),
                "provisioner", List.of(K8S_NODES));

        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        int requests = 0;
        for (Map.Entry<String, List<Endpoint>> e : endpoints.entrySet()) {
            ServiceProcess service = services.get(e.getKey());
            for (Endpoint endpoint : e.getValue()) {
                for (int i = 0; i < VARIANTS_PER_ENDPOINT; i++) {
                    requests++;
                    check(e.getKey(), service, variant(endpoint, i), failures, statuses);
                }
            }
            for (String path : wrongMethodOnly.getOrDefault(e.getKey(), List.of())) {
                for (String method : List.of("PUT", "DELETE", "PATCH")) {
                    requests++;
                    check(e.getKey(), service, new Call(method, path, randomBody(null), "application/json",
                            "application/json", TOKEN), failures, statuses);
                }
            }
            for (int i = 0; i < 20; i++) {
                requests++;
                check(e.getKey(), service, new Call(METHODS.get(random.nextInt(METHODS.size())),
                        "/" + encode(mutator.hostileText(1 + random.nextInt(40))), null, "application/json",
                        "application/json", TOKEN), failures, statuses);
            }
            for (String raw : List.of("/jobs/%zz", "/%", "/alerts?state=%G1", "/storage/plan/%00%ff", "/" + "a".repeat(9000),
                    "/certs?" + "x=y&".repeat(3000))) {
                requests++;
                rawRequest(e.getKey(), service, raw, failures, statuses);
            }
        }
        Map<String, Integer> kinds = new TreeMap<>();
        failures.forEach(f -> kinds.merge(f.substring(0, f.indexOf(' ')) + " " + f.substring(f.indexOf("→ ") + 2)
                .replaceAll(" [^ ]*$", "").replaceAll("\\(.*", ""), 1, Integer::sum));
        System.out.printf("REST fuzz: %d requests to %d services; answers by status %s; %d violations %s%n", requests,
                services.size(), statuses, failures.size(), kinds);
        Path report = KafkaBroker.projectRoot().resolve("e2e/target/rest-fuzz-violations.txt");
        Files.createDirectories(report.getParent());
        Files.write(report, failures);
        for (ServiceProcess service : services.values()) {
            assertTrue(service.isAlive(), service.baseUrl() + " died:\n" + service.tail());
        }
        assertTrue(failures.isEmpty(), failures.size() + " answers broke the invariant (all in " + report + "):\n"
                + String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
    }

    /** Further operations the provisioner's OpenAPI document lists (other helpers add endpoints). */
    private List<Endpoint> discovered(ServiceProcess provisioner, List<Endpoint> known) {
        HttpResponse<String> answer = Http.send(HttpRequest.newBuilder(URI.create(provisioner.baseUrl()
                + "/q/openapi?format=json")).header("Authorization", "Bearer " + TOKEN).timeout(REQUEST_TIMEOUT).build());
        List<Endpoint> found = new ArrayList<>();
        if (answer.statusCode() != 200) {
            return found;
        }
        Set<String> seen = new LinkedHashSet<>();
        known.forEach(k -> seen.add(k.method() + " " + k.path().replaceAll("\\?.*", "")));
        try {
            JsonNode paths = Http.JSON.readTree(answer.body()).path("paths");
            for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
                String path = it.next();
                for (Iterator<String> methods = paths.get(path).fieldNames(); methods.hasNext(); ) {
                    String method = methods.next().toUpperCase();
                    if (METHODS.contains(method) && !path.equals(K8S_NODES) && seen.add(method + " " + path)) {
                        found.add(new Endpoint(method, path, "{}".getBytes(StandardCharsets.UTF_8)));
                    }
                }
            }
        } catch (IOException e) {
            throw new AssertionError("the provisioner's OpenAPI document is not JSON", e);
        }
        return found;
    }

    record Call(String method, String path, byte[] body, String contentType, String accept, String token) {
    }

    /** Variant {@code i} of a call to {@code endpoint}: a few kinds of hostility, rotated. */
    private Call variant(Endpoint endpoint, int i) {
        // No Kubernetes API here: a valid node name would be asked of it and answered 502 (a
        // dependency down, not bad input), so Kubernetes node operations get invalid names only.
        String path = endpoint.path().startsWith("/k8s/")
                ? endpoint.path().replace("{node}", encode(invalidNodeName())) : endpoint.path();
        path = fill(path);
        String method = endpoint.method();
        byte[] body = endpoint.body() == null ? null : randomBody(endpoint.body());
        String contentType = "application/json";
        String accept = "application/json";
        String token = TOKEN;
        switch (i % 6) {
            case 0 -> contentType = CONTENT_TYPES.get(random.nextInt(CONTENT_TYPES.size()));
            case 1 -> accept = ACCEPTS.get(random.nextInt(ACCEPTS.size()));
            case 2 -> method = METHODS.get(random.nextInt(METHODS.size()));
            case 3 -> token = random.nextBoolean() ? null : "wrong-" + UUID.randomUUID();
            case 4 -> body = endpoint.body() == null ? randomBody(null) : hugeBody();
            default -> {
                // parameters and body only
            }
        }
        return new Call(method, path, body, contentType, accept, token);
    }

    private byte[] randomBody(byte[] template) {
        return mutator.mutatedBody(template == null ? "{\"x\":1}".getBytes(StandardCharsets.UTF_8) : template);
    }

    /** Over the services' 10 MiB body limit now and then, else one to three MiB of JSON-ish text. */
    private byte[] hugeBody() {
        int size = random.nextInt(10) == 0 ? 11 << 20 : (1 + random.nextInt(3)) << 20;
        byte[] body = new byte[size];
        java.util.Arrays.fill(body, (byte) '[');
        return body;
    }

    /** Replaces {@code {param}} placeholders with hostile values: text, numbers out of range, huge strings. */
    private String fill(String template) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int open = template.indexOf('{', at);
            if (open < 0) {
                out.append(template.substring(at));
                return out.toString();
            }
            int close = template.indexOf('}', open);
            out.append(template, at, open);
            String kind = template.substring(open + 1, close);
            out.append(encode(parameter(kind)));
            at = close + 1;
        }
    }

    /** Never a DNS-1123 subdomain: an upper-case letter, a leading dash, or too long. */
    private String invalidNodeName() {
        return switch (random.nextInt(3)) {
            case 0 -> "Node" + mutator.hostileText(1 + random.nextInt(30));
            case 1 -> "-" + random.nextInt(1000);
            default -> "a".repeat(254 + random.nextInt(100));
        };
    }

    private String parameter(String kind) {
        return switch (random.nextInt(7)) {
            case 0 -> Long.toString(random.nextLong());
            case 1 -> "-1";
            case 2 -> "1e999";
            case 3 -> mutator.hostileText(2_000 + random.nextInt(2_000));
            case 4 -> "../../etc/passwd";
            case 5 -> "";
            default -> kind.equals("n") ? Integer.toString(random.nextInt(1000)) : mutator.hostileText(1 + random.nextInt(30));
        };
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private void check(String name, ServiceProcess service, Call call, List<String> failures,
                       Map<Integer, Integer> statuses) {
        check(name, service, call, failures, statuses, client, true);
    }

    /**
     * {@code retry}: the HTTP server closes the connection after a 413 or 414, and the client may
     * have picked that pooled connection for the next request before it noticed; such a request
     * is sent once more on a new connection before it counts as unanswered.
     */
    private void check(String name, ServiceProcess service, Call call, List<String> failures,
                       Map<Integer, Integer> statuses, HttpClient via, boolean retry) {
        HttpRequest.BodyPublisher publisher = call.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(call.body());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.baseUrl() + call.path()))
                .timeout(REQUEST_TIMEOUT)
                .method(call.method(), publisher);
        if (!call.contentType().isEmpty()) {
            request.header("Content-Type", call.contentType());
        }
        request.header("Accept", call.accept());
        if (call.token() != null) {
            request.header("Authorization", "Bearer " + call.token());
        }
        String what = name + " " + call.method() + " " + abbreviate(call.path()) + " [" + call.contentType() + ", accept "
                + call.accept() + ", body " + (call.body() == null ? "none" : call.body().length + " B") + "]";
        try {
            HttpResponse<InputStream> response = via.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            int status = response.statusCode();
            statuses.merge(status, 1, Integer::sum);
            // A stream (SSE) that was opened is valid; read at most what an error body can be.
            String body;
            try (InputStream in = response.body()) {
                body = status >= 400 ? new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8) : "";
            }
            String verdict = verdict(status, response.headers().firstValue("Content-Type").orElse(""), body,
                    call.method(), false);
            if (verdict != null) {
                failures.add(what + " → " + status + ": " + verdict + " " + abbreviate(body));
            }
        } catch (java.net.http.HttpTimeoutException e) {
            failures.add(what + " → no answer within " + REQUEST_TIMEOUT);
        } catch (IOException e) {
            if (retry) {
                check(name, service, call, failures, statuses, HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build(), false);
            } else if (call.body() == null || call.body().length < (10 << 20)) {
                // Over the body limit the server may close the connection at once: a refusal, not a hang.
                failures.add(what + " → " + e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Refusals of the HTTP server itself, before any route or service code runs: a body over the
     * limit (413), a request line over 4 KiB (414), headers over the limit (431). Vert.x answers them
     * with an empty body and closes the connection; they are 4xx, and are allowed without ApiError.
     */
    private static final Set<Integer> HTTP_LAYER = Set.of(413, 414, 431);

    /**
     * Null when the answer keeps the invariant, else why not. {@code malformedRequestLine}: the
     * request line has a bad percent escape, which the HTTP server refuses (400) before routing.
     */
    static String verdict(int status, String contentType, String body, String method, boolean malformedRequestLine) {
        if (status >= 500) {
            return "a 5xx";
        }
        if (status < 400 || method.equals("HEAD")) {
            return null;
        }
        boolean httpLayer = HTTP_LAYER.contains(status) || (malformedRequestLine && status == 400);
        if (httpLayer && body.isEmpty()) {
            return null;
        }
        if (!contentType.contains("json")) {
            return "a 4xx without a JSON body (" + contentType + ")";
        }
        try {
            JsonNode error = Http.JSON.readTree(body);
            if (error.path("status").asInt() != status || error.path("error").asText().isBlank()) {
                return "not an ApiError for this status";
            }
            return null;
        } catch (IOException e) {
            return "a 4xx whose body is not JSON";
        }
    }

    /** A request line the JDK client will not send (bad escapes, huge URIs), over a plain socket. */
    private void rawRequest(String name, ServiceProcess service, String target, List<String> failures,
                            Map<Integer, Integer> statuses) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), service.port())) {
            socket.setSoTimeout((int) REQUEST_TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nAccept: application/json\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            // ISO-8859-1 keeps one char per byte, so chunk sizes can be counted; the body is UTF-8 again below.
            String answer = new String(socket.getInputStream().readNBytes(64 * 1024), StandardCharsets.ISO_8859_1);
            String[] head = answer.split("\r\n\r\n", 2);
            String[] statusLine = head[0].split(" ", 3);
            int status = Integer.parseInt(statusLine[1]);
            statuses.merge(status, 1, Integer::sum);
            String contentType = head[0].lines().filter(l -> l.toLowerCase().startsWith("content-type:"))
                    .map(l -> l.substring(13).trim()).findFirst().orElse("");
            String body = head.length > 1 ? head[1] : "";
            if (head[0].toLowerCase().contains("transfer-encoding: chunked")) {
                body = dechunk(body);
            }
            body = new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            String verdict = verdict(status, contentType, body, "GET", target.contains("%"));
            if (verdict != null) {
                failures.add(name + " raw GET " + abbreviate(target) + " → " + status + ": " + verdict + " "
                        + abbreviate(body));
            }
        } catch (IOException | RuntimeException e) {
            failures.add(name + " raw GET " + abbreviate(target) + " → " + e);
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int eol = chunked.indexOf("\r\n", at);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(chunked.substring(at, eol).trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(chunked, eol + 2, Math.min(chunked.length(), eol + 2 + size));
            at = eol + 2 + size + 2;
        }
        return out.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 160 ? s : s.substring(0, 160) + "…(" + s.length() + ")";
    }
}
