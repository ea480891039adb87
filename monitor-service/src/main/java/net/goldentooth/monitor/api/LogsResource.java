package net.goldentooth.monitor.api;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.api.ApiError;
import net.goldentooth.events.logs.LogEntry;
import net.goldentooth.monitor.core.MonitorCore;
import net.goldentooth.monitor.logs.LogQuery;
import net.goldentooth.monitor.logs.LogSearch;
import net.goldentooth.monitor.logs.LogsQueryConfig;
import net.goldentooth.monitor.logs.NodeSelection;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@code GET /logs} and {@code GET /logs/follow}: the lines of {@code node.logs} behind
 * {@code goldentooth logs} and the dashboard's logs page (role viewer, as every read). Parameters:
 * {@code pattern} (nodes, as Ansible patterns; default all), {@code unit} (repeatable), {@code priority},
 * {@code since}/{@code until} (ISO-8601 instants), {@code grep}, {@code n}.
 */
@Path("/logs")
public class LogsResource {

    private static final Logger LOG = Logger.getLogger(LogsResource.class);

    private final LogSearch search;
    private final Semaphore followers;
    private final ExecutorService followThreads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "logs-follow");
        t.setDaemon(true);
        return t;
    });

    @Inject
    MonitorCore core;

    @Inject
    public LogsResource(LogsQueryConfig config, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        if (config.maxLines() <= 0 || config.maxFollowers() <= 0) {
            throw new IllegalArgumentException("goldentooth.monitor.logs.max-lines and max-followers must be positive");
        }
        this.search = new LogSearch(bootstrapServers, config.maxLines(), config.lateGrace());
        this.followers = new Semaphore(config.maxFollowers());
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response lines(@QueryParam("pattern") String pattern, @QueryParam("unit") List<String> units,
                          @QueryParam("priority") String priority, @QueryParam("since") String since,
                          @QueryParam("until") String until, @QueryParam("grep") String grep,
                          @QueryParam("n") String n) {
        LogQuery query;
        try {
            query = query(pattern, units, priority, since, until, grep, n);
        } catch (IllegalArgumentException e) {
            return badRequest(e.getMessage());
        }
        return Response.ok(search.search(query)).build();
    }

    /** Server-sent events: one {@code lines} event (a JSON array) with the last lines, then one per batch of new ones. */
    @GET
    @Path("follow")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void follow(@QueryParam("pattern") String pattern, @QueryParam("unit") List<String> units,
                       @QueryParam("priority") String priority, @QueryParam("grep") String grep,
                       @QueryParam("n") String n, @Context SseEventSink sink, @Context Sse sse) {
        LogQuery query;
        try {
            query = query(pattern, units, priority, null, null, grep, n);
        } catch (IllegalArgumentException e) {
            sink.send(sse.newEventBuilder().name("error").mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data(EventCodec.encodeToString(new ApiError(400, e.getMessage(), List.of()))).build());
            sink.close();
            return;
        }
        if (!followers.tryAcquire()) {
            sink.send(sse.newEventBuilder().name("error").mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data(EventCodec.encodeToString(new ApiError(503, "too many log streams are open; try again later",
                            List.of()))).build());
            sink.close();
            return;
        }
        followThreads.execute(() -> {
            try {
                search.follow(query, lines -> send(sink, sse, lines), () -> !sink.isClosed());
            } catch (RuntimeException e) {
                LOG.warnf("a log stream ended: %s", e.getMessage());
            } finally {
                followers.release();
                sink.close();
            }
        });
    }

    private static void send(SseEventSink sink, Sse sse, List<LogEntry> lines) {
        if (!sink.isClosed()) {
            // A send that fails means the client went away: closing the sink ends the follow loop.
            sink.send(sse.newEventBuilder().name("lines").mediaType(MediaType.TEXT_PLAIN_TYPE)
                    .data(EventCodec.encodeToString(lines)).build()).exceptionally(e -> {
                        sink.close();
                        return null;
                    });
        }
    }

    private LogQuery query(String pattern, List<String> units, String priority, String since, String until,
                           String grep, String n) {
        Integer last = null;
        if (n != null && !n.isBlank()) {
            try {
                last = Integer.valueOf(n.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("query parameter 'n': '" + n + "' is not a whole number");
            }
        }
        NodeSelection nodes = NodeSelection.parse(pattern == null || pattern.isBlank() ? "all" : pattern,
                core.inventory());
        return LogQuery.parse(nodes, units, priority, since, until, grep, last);
    }

    private static Response badRequest(String message) {
        return Response.status(400).type(MediaType.APPLICATION_JSON).entity(new ApiError(400, message, List.of())).build();
    }

    @PreDestroy
    void close() {
        followThreads.shutdownNow();
    }
}
