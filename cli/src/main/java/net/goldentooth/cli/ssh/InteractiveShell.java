package net.goldentooth.cli.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.goldentooth.cli.CliContext;
import net.goldentooth.cli.ExitCode;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.SessionChannel;

/**
 * A login shell on one node with a PTY, wired to this terminal. When this terminal is a TTY it is
 * put in raw mode for the session (so Ctrl-C, arrows and editors reach the node) and restored after.
 */
public final class InteractiveShell {

    private final SshLogin login;
    private final CliContext context;

    public InteractiveShell(SshLogin login, CliContext context) {
        this.login = login;
        this.context = context;
    }

    public ExitCode run(NodeAddress node) throws IOException, InterruptedException {
        SSHClient client;
        try {
            client = login.connect(node);
        } catch (SshLogin.LoginException e) {
            context.err().println(node.node() + " | " + (e.unreachable() ? "UNREACHABLE" : "REFUSED") + " | "
                    + e.getMessage());
            return e.unreachable() ? ExitCode.INCOMPLETE : ExitCode.REJECTED;
        }
        Terminal terminal = Terminal.attached(context);
        try (client; Session session = client.startSession()) {
            session.allocatePTY(context.env().getOrDefault("TERM", "xterm"), terminal.columns(), terminal.rows(),
                    0, 0, Map.of());
            Session.Shell shell = session.startShell();
            terminal.raw();
            terminal.onResize((columns, rows) -> {
                try {
                    shell.changeWindowDimensions(columns, rows, 0, 0);
                } catch (IOException e) {
                    // the session is ending; the next size belongs to no one
                }
            });
            Thread keys = new Thread(() -> forward(context.in(), shell.getOutputStream()), "shell-stdin");
            keys.setDaemon(true);
            keys.start();
            Thread errors = new Thread(() -> copy(shell.getErrorStream(), context.err()), "shell-stderr");
            errors.setDaemon(true);
            errors.start();
            copy(shell.getInputStream(), context.out());
            shell.join(5, TimeUnit.SECONDS);
            errors.join(TimeUnit.SECONDS.toMillis(5));
            // The shell is the session channel itself, which carries the exit status.
            Integer status = ((SessionChannel) session).getExitStatus();
            return status == null || status == 0 ? ExitCode.SUCCESS : ExitCode.FAILED;
        } finally {
            terminal.restore();
        }
    }

    /** Keystrokes (or piped lines) to the node, flushed as they come; end of input closes the node's stdin. */
    private static void forward(InputStream in, OutputStream remote) {
        byte[] buffer = new byte[4096];
        try (remote) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                remote.write(buffer, 0, n);
                remote.flush();
            }
        } catch (IOException e) {
            // the session ended while keys were still being typed: nothing left to send to
        }
    }

    private static void copy(InputStream from, java.io.PrintStream to) {
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = from.read(buffer)) > 0) {
                to.write(buffer, 0, n);
                to.flush();
            }
        } catch (IOException e) {
            // the connection closed: the shell is over
        }
    }

    /** This process's terminal, when it has one: its size and raw mode through stty on /dev/tty. */
    static final class Terminal {
        private final String saved;
        private final int columns;
        private final int rows;

        private Terminal(String saved, int columns, int rows) {
            this.saved = saved;
            this.columns = columns;
            this.rows = rows;
        }

        static Terminal attached(CliContext context) {
            if (System.console() == null || context.in() != System.in) {
                return new Terminal(null, 80, 24);
            }
            String saved = stty("-g");
            int[] size = parseSize(stty("size"));
            return size == null ? new Terminal(saved, 80, 24) : new Terminal(saved, size[1], size[0]);
        }

        int columns() {
            return columns;
        }

        int rows() {
            return rows;
        }

        void raw() {
            if (saved != null) {
                stty("raw -echo");
            }
        }

        /**
         * Follows the local window's size (SIGWINCH, then {@code stty size}) so that full-screen
         * programs on the node redraw at the new size. Only with a real terminal: piped input has none.
         */
        void onResize(java.util.function.BiConsumer<Integer, Integer> resized) {
            if (saved == null) {
                return;
            }
            try {
                sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), signal -> {
                    int[] size = parseSize(stty("size"));
                    if (size != null) {
                        resized.accept(size[1], size[0]);
                    }
                });
            } catch (IllegalArgumentException e) {
                // no SIGWINCH on this platform: the session keeps its first size
            }
        }

        /** {@code stty size} prints "rows columns"; null when it printed anything else. */
        static int[] parseSize(String sttySize) {
            if (sttySize == null) {
                return null;
            }
            String[] parts = sttySize.strip().split("\\s+");
            try {
                int rows = Integer.parseInt(parts[0]);
                int columns = parts.length == 2 ? Integer.parseInt(parts[1]) : -1;
                return rows > 0 && columns > 0 ? new int[] {rows, columns} : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }

        void restore() {
            if (saved != null) {
                stty(saved);
            }
        }

        private static String stty(String args) {
            try {
                Process p = new ProcessBuilder("sh", "-c", "stty " + args + " < /dev/tty")
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes()).strip();
                return p.waitFor() == 0 ? out : null;
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }
}
