package net.goldentooth.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.api.ApiError;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobStatus;

/**
 * A stand-in for the provisioner's REST API, for CLI tests only: it answers the contract's
 * endpoints with canned statuses and event streams and records what the CLI sent.
 */
final class FakeProvisioner implements AutoCloseable {

    /** What POST /jobs does with a request: a job to stream, or an error answer. */
    sealed interface Answer permits Job, Error {
    }

    /**
     * @param events the SSE frames after the snapshot: {@code {type, json}}
     * @param stored what GET /jobs/{id} answers (the final state)
     */
    record Job(JobStatus accepted, List<String[]> events, JobStatus stored) implements Answer {
    }

    record Error(int status, String body) implements Answer {
        static Error api(int status, String message, String... hints) {
            return new Error(status, EventCodec.encodeToString(new ApiError(status, message, List.of(hints))));
        }
    }

    record Recorded(String method, String pathAndQuery, String body) {
    }

    private final HttpServer server;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final Map<String, String> jobsByKey = new ConcurrentHashMap<>();
    /** Copy-on-write: tests stream it while a held-open event stream's thread may still add to it. */
    final List<Recorded> requests = new CopyOnWriteArrayList<>();
    volatile Function<JobRequest, Answer> onSubmit = request -> Error.api(500, "no scenario");
    volatile String inventoryJson = "{}";
    volatile String nodesJson = "[]";
    volatile String jobsPageJson = "{\"jobs\":[],\"offset\":0,\"limit\":20,\"total\":0}";
    /** When set, event streams stay open after their events until {@link #close()}, like a job still running. */
    volatile boolean holdStreamsOpen;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final ExecutorService handlers = Executors.newCachedThreadPool();

    FakeProvisioner() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        // One thread per exchange: a held-open event stream must not block the other requests.
        server.setExecutor(handlers);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Job ids are handed out in order: job-1, job-2, ... */
    String nextJobId() {
        return "job-" + (ids.get() + 1);
    }

    List<JobRequest> submitted() {
        List<JobRequest> submitted = new ArrayList<>();
        for (Recorded recorded : requests) {
            if (recorded.method().equals("POST")) {
                submitted.add(EventCodec.decode(recorded.body(), JobRequest.class));
            }
        }
        return submitted;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Recorded(exchange.getRequestMethod(), uri.getRawPath()
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()), body));
            String path = uri.getPath();
            if (exchange.getRequestMethod().equals("POST") && path.equals("/jobs")) {
                submit(exchange, EventCodec.decode(body, JobRequest.class));
            } else if (path.equals("/inventory")) {
                send(exchange, 200, inventoryJson);
            } else if (path.equals("/nodes")) {
                send(exchange, 200, nodesJson);
            } else if (path.equals("/jobs")) {
                send(exchange, 200, jobsPageJson);
            } else if (path.startsWith("/jobs/") && path.endsWith("/events")) {
                stream(exchange, path.substring("/jobs/".length(), path.length() - "/events".length()));
            } else if (path.startsWith("/jobs/")) {
                Job job = jobs.get(path.substring("/jobs/".length()));
                if (job == null) {
                    Error missing = Error.api(404, "no job '" + path.substring(6) + "'", "goldentooth jobs lists them");
                    send(exchange, missing.status(), missing.body());
                } else {
                    send(exchange, 200, EventCodec.encodeToString(job.stored()));
                }
            } else {
                send(exchange, 404, "{\"status\":404,\"error\":\"no route\"}");
            }
        }
    }

    private void submit(HttpExchange exchange, JobRequest request) throws IOException {
        if (request.idempotencyKey() != null && jobsByKey.containsKey(request.idempotencyKey())) {
            Job seen = jobs.get(jobsByKey.get(request.idempotencyKey()));
            send(exchange, 200, EventCodec.encodeToString(seen.accepted()));
            return;
        }
        Answer answer = onSubmit.apply(request);
        if (answer instanceof Error error) {
            send(exchange, error.status(), error.body());
            return;
        }
        Job job = (Job) answer;
        String id = "job-" + ids.incrementAndGet();
        if (!id.equals(job.accepted().jobId())) {
            throw new IllegalStateException("scenario built for " + job.accepted().jobId() + ", but this is " + id);
        }
        jobs.put(id, job);
        if (request.idempotencyKey() != null) {
            jobsByKey.put(request.idempotencyKey(), id);
        }
        send(exchange, 201, EventCodec.encodeToString(job.accepted()));
    }

    private void stream(HttpExchange exchange, String jobId) throws IOException {
        Job job = jobs.get(jobId);
        if (job == null) {
            Error missing = Error.api(404, "no job '" + jobId + "'");
            send(exchange, missing.status(), missing.body());
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        write(out, ": the first status is the current snapshot\n\n");
        write(out, "event: status\ndata: " + EventCodec.encodeToString(job.accepted()) + "\n\n");
        for (String[] event : job.events()) {
            write(out, "event: " + event[0] + "\ndata: " + event[1] + "\n\n");
        }
        if (holdStreamsOpen) {
            try {
                closing.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        out.close();
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }
}
