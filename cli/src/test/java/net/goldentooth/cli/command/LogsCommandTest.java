package net.goldentooth.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import net.goldentooth.cli.CliContext;
import net.goldentooth.cli.Fixtures.Capture;
import net.goldentooth.cli.Main;
import net.goldentooth.cli.client.MonitorClient;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.api.ApiError;
import net.goldentooth.events.api.LogPage;
import net.goldentooth.events.logs.LogEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code goldentooth logs} against a stand-in for monitor-service's GET /logs (its real answers are tested in monitor-service). */
class LogsCommandTest {

    private static final Instant NOW = Instant.parse("2026-12-07T14:30:00Z");

    private HttpServer monitor;
    private final AtomicReference<String> query = new AtomicReference<>();
    private int status = 200;
    private byte[] body;
    private Capture out;
    private Capture err;

    @BeforeEach
    void start() throws Exception {
        monitor = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        monitor.createContext("/logs", exchange -> {
            query.set(exchange.getRequestURI().getRawQuery());
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        monitor.start();
    }

    @AfterEach
    void stop() {
        monitor.stop(0);
    }

    private int run(String url, String... args) {
        out = new Capture();
        err = new Capture();
        CliContext context = new CliContext(out.stream, err.stream, new ByteArrayInputStream(new byte[0]),
                Map.of(MonitorClient.ENV, url, "GOLDENTOOTH_TOKEN", "t"), Clock.fixed(NOW, ZoneOffset.UTC));
        return Main.run(context, args);
    }

    private String url() {
        return "http://127.0.0.1:" + monitor.getAddress().getPort();
    }

    @Test
    void linesArePrintedTaggedByHostAndTheOptionsBecomeTheQuery() {
        body = EventCodec.encode(new LogPage(List.of(
                new LogEntry("bettley", "journal", "ssh", "sshd", 4, "Failed password for root", NOW.minusSeconds(60),
                        null, null, 812, "c1", null, null),
                new LogEntry("fenn", "/x/provisioner.log", "provisioner", "provisioner", 6, "job j1 started", NOW,
                        null, null, null, "1:20", null, null)), false, 2));
        int code = run(url(), "logs", "all", "-u", "ssh", "-u", "provisioner", "-p", "warning", "--since", "-1h",
                "--grep", "fail", "-n", "20");
        assertEquals(0, code, err.text());
        assertEquals("Dec 07 14:29:00.000000 bettley sshd[812]: Failed password for root\n"
                + "Dec 07 14:30:00.000000 fenn provisioner: job j1 started\n", out.text());
        assertEquals("pattern=all&unit=ssh&unit=provisioner&priority=4&since=2026-12-07T13%3A30%3A00Z&grep=fail&n=20",
                query.get());
        assertEquals(0, run(url(), "logs", "bettley", "--json"));
        assertTrue(out.text().startsWith("{\"node\":\"bettley\",\"source\":\"journal\""), out.text());
    }

    @Test
    void theMonitorsRefusalIsAUsageErrorWithItsReason() {
        status = 400;
        body = EventCodec.encode(new ApiError(400, "query parameter 'grep': not a regular expression", List.of()));
        assertEquals(2, run(url(), "logs", "all", "--grep", "("));
        assertTrue(err.text().contains("not a regular expression"), err.text());
    }

    @Test
    void badOptionsAreUsageErrorsBeforeAnythingIsSent() {
        body = new byte[0];
        assertEquals(2, run(url(), "logs", "all", "-p", "loud"));
        assertEquals(2, run(url(), "logs", "all", "--since", "last tuesday"));
        assertEquals(2, run(url(), "logs", "all", "-f", "--until", "now"));
        assertEquals(null, query.get());
    }

    @Test
    void anUnreachableMonitorIsExitFive() {
        monitor.stop(0);
        assertEquals(5, run(url(), "logs", "all"));
        assertTrue(err.text().contains("cannot be read"), err.text());
    }
}
