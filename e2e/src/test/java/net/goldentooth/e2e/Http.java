package net.goldentooth.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import net.goldentooth.events.EventCodec;
import net.goldentooth.testkit.ServiceProcess;

/** Plain HTTP calls to the services' REST APIs, loopback ports from this suite's range, parallel start-up. */
final class Http {

    static final ObjectMapper JSON = EventCodec.newMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** GET {@code url} as a JSON tree; fails unless the answer is 200. */
    static JsonNode getJson(String url) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("GET " + url + " is not JSON: " + response.body(), e);
        }
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A loopback port free right now in 25000-25999, the range this suite keeps to for what it
     * starts on fixed ports (a broker restarted on the same port).
     */
    static int freePortInRange() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int candidate = 25_000 + (int) (Math.random() * 1000);
            try (ServerSocket socket = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
                return candidate;
            } catch (IOException e) {
                // taken; try another
            }
        }
        throw new IllegalStateException("no free loopback port in 25000-25999");
    }

    /**
     * Starts services side by side (each start waits for its readiness); when one fails, the
     * others that did start are closed before the failure is rethrown.
     */
    @SafeVarargs
    static List<ServiceProcess> startAll(Supplier<ServiceProcess>... starts) {
        List<CompletableFuture<ServiceProcess>> futures = new ArrayList<>();
        for (Supplier<ServiceProcess> start : starts) {
            futures.add(CompletableFuture.supplyAsync(start));
        }
        List<ServiceProcess> started = new ArrayList<>();
        RuntimeException failure = null;
        for (CompletableFuture<ServiceProcess> future : futures) {
            try {
                started.add(future.join());
            } catch (CompletionException e) {
                failure = failure == null ? new IllegalStateException(e.getCause()) : failure;
            }
        }
        if (failure != null) {
            started.forEach(ServiceProcess::close);
            throw failure;
        }
        return started;
    }

    private Http() {
    }
}
