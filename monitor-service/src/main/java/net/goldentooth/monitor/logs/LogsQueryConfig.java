package net.goldentooth.monitor.logs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** {@code GET /logs} of monitor-service, under {@code goldentooth.monitor.logs.*}. */
@ConfigMapping(prefix = "goldentooth.monitor.logs")
public interface LogsQueryConfig {

    /** The most lines one answer holds (the newest are kept and {@code truncated} is set); bounds the heap a query uses. */
    @WithDefault("50000")
    int maxLines();

    /** How much later than {@code until} a line may have reached the bus and still be found (an agent catching up). */
    @WithDefault("10m")
    Duration lateGrace();

    /** Follow streams ({@code -f}) open at once; one more is answered 503. Each holds a thread and a consumer. */
    @WithDefault("32")
    int maxFollowers();

    /** Loki's base URL (e.g. {@code http://loki:3100}): node.logs is forwarded there by the Loki sink; empty: no sink. */
    Optional<String> lokiUrl();
}
