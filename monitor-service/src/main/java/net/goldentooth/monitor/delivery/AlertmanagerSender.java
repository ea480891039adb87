package net.goldentooth.monitor.delivery;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.alert.AlertState;
import org.jboss.logging.Logger;

/**
 * POSTs alert changes to Alertmanager's {@code /api/v2/alerts}. Changes wait in a map keyed by
 * fingerprint, so a retry sends each alert's newest state once (dedup by identity); a failed POST
 * is retried with capped exponential backoff and nothing is dropped meanwhile.
 */
public final class AlertmanagerSender implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AlertmanagerSender.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    private final URI endpoint;
    private final Duration resend;
    private final String generatorUrl;
    private final Clock clock;
    private final HttpClient http;
    /** Asked right before every POST: false (a standby, a lapsed lease) drops the batch unsent. */
    private final BooleanSupplier mayDeliver;
    private final Map<String, AlertState> waiting = new LinkedHashMap<>();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "alertmanager-delivery");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private int consecutiveFailures;
    private boolean scheduled;

    public AlertmanagerSender(String baseUrl, Duration resend, String generatorUrl, Clock clock) {
        this(baseUrl, resend, generatorUrl, clock, () -> true);
    }

    /**
     * A sender that delivers only while {@code mayDeliver} holds, checked immediately before each
     * POST (the delivery election's lease). What it withholds is dropped, not kept: the instance that
     * does deliver re-sends every firing and resolved alert when it takes over.
     */
    public AlertmanagerSender(String baseUrl, Duration resend, String generatorUrl, Clock clock,
                              BooleanSupplier mayDeliver) {
        this.mayDeliver = mayDeliver;
        this.endpoint = URI.create(baseUrl.replaceAll("/+$", "") + "/api/v2/alerts");
        this.resend = resend;
        this.generatorUrl = generatorUrl;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Queues alert states; a newer state of the same fingerprint replaces a waiting older one. */
    public synchronized void offer(List<AlertState> states) {
        for (AlertState s : states) {
            waiting.put(s.fingerprint(), s);
        }
        if (!waiting.isEmpty() && !scheduled) {
            scheduled = true;
            worker.execute(this::deliver);
        }
    }

    public long sent() {
        return sent.get();
    }

    public long failures() {
        return failures.get();
    }

    private void deliver() {
        List<AlertState> batch;
        synchronized (this) {
            batch = new ArrayList<>(waiting.values());
            waiting.clear();
        }
        List<Map<String, Object>> body = AlertmanagerPayload.of(batch, clock.instant(), resend, generatorUrl);
        if (!body.isEmpty() && !mayDeliver.getAsBoolean()) {
            LOG.infof("not delivering %d alerts: this monitor no longer delivers to Alertmanager", body.size());
            body = List.of();
        }
        boolean ok = body.isEmpty() || post(body);
        synchronized (this) {
            if (ok) {
                consecutiveFailures = 0;
                sent.addAndGet(body.size());
            } else {
                consecutiveFailures++;
                failures.incrementAndGet();
                // Put the batch back unless a newer state of the same alert arrived meanwhile.
                for (AlertState s : batch) {
                    waiting.putIfAbsent(s.fingerprint(), s);
                }
            }
            if (waiting.isEmpty()) {
                scheduled = false;
            } else {
                long delay = ok ? 0 : AlertmanagerPayload.backoff(consecutiveFailures, MAX_BACKOFF).toMillis();
                worker.schedule(this::deliver, delay, TimeUnit.MILLISECONDS);
            }
        }
    }

    private boolean post(List<Map<String, Object>> body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(EventCodec.encode(body))).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                return true;
            }
            LOG.warnf("Alertmanager %s answered %d: %s; retrying", endpoint, response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("Alertmanager %s unreachable: %s; retrying", endpoint, e.toString());
        }
        return false;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
