package net.goldentooth.cli.ssh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import net.goldentooth.cli.CliContext;
import net.goldentooth.cli.ExitCode;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;

/**
 * Broadcast mode of {@code shell}: one connection per node, kept for the whole session; every line
 * read runs on every node at once, each output line printed as it arrives as {@code <node>: <line>}
 * (stderr to stderr), and the next line starts when every node has finished the last.
 */
public final class Broadcast {

    private final SshLogin login;
    private final CliContext context;

    public Broadcast(SshLogin login, CliContext context) {
        this.login = login;
        this.context = context;
    }

    public ExitCode run(List<NodeAddress> nodes) throws IOException {
        Map<NodeAddress, SSHClient> connected = new LinkedHashMap<>();
        ExitCode result = ExitCode.SUCCESS;
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "broadcast");
            t.setDaemon(true);
            return t;
        });
        try {
            List<CompletableFuture<Void>> logins = new ArrayList<>();
            for (NodeAddress node : nodes) {
                logins.add(CompletableFuture.runAsync(() -> {
                    try {
                        SSHClient client = login.connect(node);
                        synchronized (connected) {
                            connected.put(node, client);
                        }
                    } catch (SshLogin.LoginException e) {
                        context.err().println(node.node() + " | " + (e.unreachable() ? "UNREACHABLE" : "REFUSED")
                                + " | " + e.getMessage());
                    }
                }, pool));
            }
            logins.forEach(CompletableFuture::join);
            if (connected.size() < nodes.size()) {
                result = ExitCode.INCOMPLETE;
            }
            if (connected.isEmpty()) {
                return result;
            }
            boolean interactive = System.console() != null && context.in() == System.in;
            BufferedReader lines = new BufferedReader(new InputStreamReader(context.in(), StandardCharsets.UTF_8));
            while (true) {
                if (interactive) {
                    context.err().print("goldentooth[" + connected.size() + " nodes]> ");
                    context.err().flush();
                }
                String line = lines.readLine();
                if (line == null) {
                    break;
                }
                if (line.isBlank()) {
                    continue;
                }
                List<CompletableFuture<ExitCode>> runs = new ArrayList<>();
                for (Map.Entry<NodeAddress, SSHClient> e : connected.entrySet()) {
                    runs.add(CompletableFuture.supplyAsync(() -> runOn(e.getKey(), e.getValue(), line, pool), pool));
                }
                for (CompletableFuture<ExitCode> run : runs) {
                    result = result.worst(run.join());
                }
            }
            return result;
        } finally {
            connected.values().forEach(SshLogin::close);
            pool.shutdownNow();
        }
    }

    private ExitCode runOn(NodeAddress node, SSHClient client, String line, ExecutorService pool) {
        try (Session session = client.startSession()) {
            Session.Command command = session.exec(line);
            command.getOutputStream().close();
            CompletableFuture<Void> err = CompletableFuture.runAsync(
                    () -> tag(node.node(), command.getErrorStream(), context.err()), pool);
            tag(node.node(), command.getInputStream(), context.out());
            err.join();
            command.join(10, TimeUnit.SECONDS);
            Integer status = command.getExitStatus();
            if (status == null || status != 0) {
                context.err().println(node.node() + ": exit " + (status == null ? "unknown" : status));
                return ExitCode.FAILED;
            }
            return ExitCode.SUCCESS;
        } catch (IOException e) {
            context.err().println(node.node() + ": " + e.getMessage());
            return ExitCode.FAILED;
        }
    }

    /** Prints each line of {@code in} as {@code node: line}; whole lines only, so nodes never interleave mid-line. */
    private static void tag(String node, InputStream in, PrintStream to) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (to) {
                    to.println(node + ": " + line);
                }
            }
        } catch (IOException e) {
            synchronized (to) {
                to.println(node + ": (output cut: " + e.getMessage() + ")");
            }
        }
    }
}
