package net.goldentooth.monitor.loki;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.time.Clock;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.monitor.logs.LogsQueryConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Starts the {@link LokiSink} when {@code goldentooth.monitor.logs.loki-url} is set. */
@ApplicationScoped
public class LokiForwarding {

    private static final Logger LOG = Logger.getLogger(LokiForwarding.class);

    private final LogsQueryConfig config;
    private final String bootstrapServers;
    private EventPublisher deadLetters;
    private LokiSink sink;

    public LokiForwarding(LogsQueryConfig config, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.bootstrapServers = bootstrapServers;
    }

    void onStart(@Observes StartupEvent event) {
        String url = config.lokiUrl().map(String::strip).filter(u -> !u.isEmpty()).orElse(null);
        if (url == null) {
            return;
        }
        URI loki;
        try {
            loki = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("goldentooth.monitor.logs.loki-url: '" + url + "' is not a URL", e);
        }
        if (!"http".equals(loki.getScheme()) && !"https".equals(loki.getScheme())) {
            throw new IllegalArgumentException("goldentooth.monitor.logs.loki-url must be http(s)://host:port, was " + url);
        }
        deadLetters = new EventPublisher(bootstrapServers, "//monitor-service", Clock.systemUTC());
        sink = new LokiSink(bootstrapServers, loki, LokiSink.GROUP, deadLetters,
                (topic, reason) -> LOG.warnf("dead-lettered a record of %s: %s", topic, reason));
        LOG.infof("forwarding node.logs to Loki at %s", loki);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (sink != null) {
            sink.close();
            deadLetters.close();
        }
    }

    /** The running sink, or null when no Loki is configured. */
    public LokiSink sink() {
        return sink;
    }
}
