package net.goldentooth.agent.logs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The log shipper of the agent, under {@code goldentooth.agent.logs.*} (see the README's "Logs"). */
@ConfigMapping(prefix = "goldentooth.agent.logs")
public interface LogsConfig {

    /** Ship logs to {@code node.logs} at all. */
    @WithDefault("true")
    boolean enabled();

    /** Follow the systemd journal with journalctl; when journalctl or a journal is missing the source stays off (logged once). */
    @WithDefault("true")
    boolean journal();

    /** The journalctl to run. */
    @WithDefault("journalctl")
    String journalctl();

    /** Extra journalctl arguments, e.g. {@code --directory=/var/log/journal/<machine-id>} or {@code --merge}; default none. */
    Optional<List<String>> journalArgs();

    /** Lines of the journal from before the agent's first start (no cursor saved yet) that are shipped. */
    @WithDefault("1000")
    int journalInitialLines();

    /** Log files by glob (e.g. {@code /var/log/nginx/*.log}); each file's unit is its name without {@code .log}. Default none. */
    Optional<List<String>> files();

    /** How often the file globs are matched again and the files read. */
    @WithDefault("250ms")
    Duration filePollInterval();

    /** Only lines of these units (journal {@code _SYSTEMD_UNIT} with or without {@code .service}, or file units); default all. */
    Optional<List<String>> units();

    /** The least important priority shipped, as journalctl -p takes it (0-7 or emerg..debug); default all. */
    @WithDefault("debug")
    String priority();

    /** Lines per second this node may ship; lines beyond are dropped and counted ({@code reason=rate}). */
    @WithDefault("5000")
    int rateLimit();

    /** Lines allowed at once above the rate, after a quiet spell. */
    @WithDefault("10000")
    int rateBurst();

    /** A line longer than this (bytes of UTF-8) is cut to it and marked with its length in {@code truncated}. */
    @WithDefault("16384")
    int maxLineBytes();

    /** Bytes sent and not yet acknowledged; past it the readers stop reading (the journal and the files are the buffer). */
    @WithDefault("4194304")
    long maxInFlightBytes();

    /** How often the acknowledged journal cursor and file offsets are written to the state directory. */
    @WithDefault("1s")
    Duration positionSaveInterval();
}
