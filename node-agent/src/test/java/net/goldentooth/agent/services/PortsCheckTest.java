package net.goldentooth.agent.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.goldentooth.events.facts.ServiceCheck;
import net.goldentooth.events.facts.ServiceCheck.State;
import org.junit.jupiter.api.Test;

/**
 * The seed's node_exporter incident (~L10826): the port it needed was held by another process. Real
 * sockets and the real {@code /proc}: this JVM's own listener reads {@code agent}, a python3 process
 * listening on the watched port reads as its holder and is critical.
 */
class PortsCheckTest {

    @Test
    void nodeExporterPortHeldByAnotherProcessIsCriticalAndNamesIt() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs python3 to hold a port");
        Process holder = new ProcessBuilder("/usr/bin/python3", "-c",
                "import socket,sys,time\n"
                        + "s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(1)\n"
                        + "print(s.getsockname()[1], flush=True)\n"
                        + "time.sleep(30)\n").start();
        try (ServerSocket own = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int held = Integer.parseInt(new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8)).readLine().strip());
            int free;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                free = s.getLocalPort();
            }
            PortsCheck check = new PortsCheck(List.of(new PortsCheck.WatchedPort(own.getLocalPort(), null),
                    new PortsCheck.WatchedPort(held, "node_exporter"), new PortsCheck.WatchedPort(free, "nomad")),
                    Path.of("/proc"), ProcessHandle.current().pid(), Clock.systemUTC());
            ServiceCheck c = check.check();
            assertEquals(State.CRITICAL, c.state(), c.toString());
            assertEquals("agent", c.details().get("port." + own.getLocalPort()));
            assertEquals("held by python3 (pid " + holder.pid() + ")", c.details().get("port." + held));
            assertEquals("free", c.details().get("port." + free));
            assertEquals(":" + held + " held by python3 (pid " + holder.pid() + "), needed by node_exporter", c.error());

            PortsCheck expected = new PortsCheck(List.of(new PortsCheck.WatchedPort(held, "python3")),
                    Path.of("/proc"), ProcessHandle.current().pid(), Clock.systemUTC());
            ServiceCheck ok = expected.check();
            assertEquals(State.OK, ok.state());
            assertEquals("expected", ok.details().get("port." + held));
            assertNull(ok.error());
        } finally {
            holder.destroy();
            holder.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void watchedPortsParseOrSayWhy() {
        assertEquals(new PortsCheck.WatchedPort(9100, "node_exporter"), PortsCheck.WatchedPort.parse(" 9100=node_exporter"));
        assertEquals(new PortsCheck.WatchedPort(9110, null), PortsCheck.WatchedPort.parse("9110"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PortsCheck.WatchedPort.parse("http=x"))
                .getMessage().contains("is not <port>[=<command>]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PortsCheck.WatchedPort.parse("70000"))
                .getMessage().contains("out of range"));
    }
}
