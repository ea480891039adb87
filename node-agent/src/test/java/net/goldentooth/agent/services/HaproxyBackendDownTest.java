package net.goldentooth.agent.services;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import net.goldentooth.events.facts.ServiceCheck;
import net.goldentooth.events.facts.ServiceCheck.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's HAProxy incident (~L550: the API-server backends DOWN, "no server available") against
 * Debian's real {@code haproxy}: a backend whose one server is a listener this test runs reads up,
 * then critical once the listener is stopped and HAProxy's health check marks it DOWN.
 */
class HaproxyBackendDownTest {

    @TempDir
    Path dir;
    private Process haproxy;
    private ServerSocket apiServer;

    @AfterEach
    void stop() throws Exception {
        if (haproxy != null) {
            haproxy.destroy();
            if (!haproxy.waitFor(5, TimeUnit.SECONDS)) {
                haproxy.destroyForcibly();
            }
        }
        if (apiServer != null) {
            apiServer.close();
        }
    }

    @Test
    void haproxyBackendDownWhenItsOnlyServerStops() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/sbin/haproxy")), "needs haproxy (.ci/packages/node-agent.txt)");
        apiServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!apiServer.isClosed()) {
                try (Socket s = apiServer.accept()) {
                    s.getInputStream().available();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        int frontendPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            frontendPort = free.getLocalPort();
        }
        Path socket = dir.resolve("admin.sock");
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, String.join("\n",
                "global",
                "    stats socket " + socket + " mode 600 level user",
                "defaults",
                "    mode tcp",
                "    timeout connect 1s",
                "    timeout client 5s",
                "    timeout server 5s",
                "frontend k8s_api",
                "    bind 127.0.0.1:" + frontendPort,
                "    default_backend k8s_api_servers",
                "backend k8s_api_servers",
                "    server bettley 127.0.0.1:" + apiServer.getLocalPort() + " check inter 200ms fall 1 rise 1",
                ""));
        haproxy = new ProcessBuilder("/usr/sbin/haproxy", "-db", "-f", cfg.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        HaproxyCheck check = new HaproxyCheck(socket, Clock.systemUTC());

        ServiceCheck up = await(check, c -> c.state() == State.OK, Duration.ofSeconds(10));
        assertEquals("1", up.details().get("backend.k8s_api_servers.serversUp"));
        assertEquals("UP", up.details().get("backend.k8s_api_servers.status"));
        assertEquals(true, up.version().startsWith("2."), up.version());
        assertNull(up.error());

        apiServer.close();
        ServiceCheck down = await(check, c -> c.state() == State.CRITICAL, Duration.ofSeconds(10));
        assertEquals("0", down.details().get("backend.k8s_api_servers.serversUp"));
        assertEquals("1", down.details().get("backend.k8s_api_servers.servers"));
        assertEquals("DOWN", down.details().get("backend.k8s_api_servers.status"));

        haproxy.destroy();
        haproxy.waitFor(5, TimeUnit.SECONDS);
        ServiceCheck gone = check.check();
        assertEquals(State.UNKNOWN, gone.state());
        assertEquals(true, gone.error().startsWith("stats socket " + socket), gone.error());
    }

    @Test
    void aServerGoingDownOfSeveralIsAWarningAndNoCheckCountsAsUp() {
        String answer = String.join("\n",
                "Name: HAProxy", "Version: 2.6.12-1+deb12u3", "",
                "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight",
                "k8s_api,FRONTEND,,,0,1,2000,3,0,0,0,0,0,,,,,OPEN,",
                "k8s_api_servers,bettley,0,0,0,1,,3,0,0,,0,,0,0,0,0,UP,1",
                "k8s_api_servers,cargyll,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN,1",
                "k8s_api_servers,dalt,0,0,0,0,,0,0,0,,0,,0,0,0,0,UP 1/2,1",
                "k8s_api_servers,BACKEND,0,0,0,1,200,3,0,0,0,0,,0,0,0,0,UP,2",
                "static,web,0,0,0,0,,0,0,0,,0,,0,0,0,0,no check,1",
                "static,BACKEND,0,0,0,0,200,0,0,0,0,0,,0,0,0,0,UP,1", "");
        ServiceCheck c = new HaproxyCheck(Path.of("/nonexistent"), Clock.systemUTC()).evaluate(answer);
        assertEquals(State.WARNING, c.state());
        assertEquals("2", c.details().get("backend.k8s_api_servers.serversUp"));
        assertEquals("3", c.details().get("backend.k8s_api_servers.servers"));
        assertEquals("1", c.details().get("backend.static.serversUp"));
        assertEquals("2.6.12-1+deb12u3", c.version());
    }

    @Test
    void anAnswerWithoutTheTableIsUnknown() {
        ServiceCheck c = new HaproxyCheck(Path.of("/x"), Clock.systemUTC()).evaluate("Unknown command.\n");
        assertEquals(State.UNKNOWN, c.state());
        assertEquals("no 'show stat' table in the stats socket's answer", c.error());
    }

    private static ServiceCheck await(HaproxyCheck check, Predicate<ServiceCheck> until, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        ServiceCheck last = null;
        while (System.nanoTime() < deadline) {
            last = check.check();
            if (until.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not reached within " + within + "; last: " + last);
    }
}
