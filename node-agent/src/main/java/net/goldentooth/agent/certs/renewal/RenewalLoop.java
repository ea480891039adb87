package net.goldentooth.agent.certs.renewal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import net.goldentooth.events.cert.CertIssued;
import org.jboss.logging.Logger;

/**
 * Runs every lineage on one thread: a tick every {@code tick} looks at each lineage, and answers
 * from {@code cert.issued} are handed to the same thread, so a lineage's state is only ever
 * touched by one thread and the consumer never waits for a reload or a probe.
 */
public final class RenewalLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RenewalLoop.class);

    private final Map<String, Renewable> lineages = new LinkedHashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cert-renewal");
        t.setDaemon(true);
        return t;
    });

    public RenewalLoop(List<? extends Renewable> lineages) {
        lineages.forEach(l -> this.lineages.put(l.lineage(), l));
    }

    /** @param ready false while answers could not be read yet; no request is sent until it is true */
    public void start(Duration tick, BooleanSupplier ready) {
        thread.scheduleWithFixedDelay(() -> {
            if (ready.getAsBoolean()) {
                tickAll();
            }
        }, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Hands pki's answer to the lineage it names; answers for lineages not managed here are ignored. */
    public void onIssued(CertIssued issued) {
        Renewable lineage = lineages.get(issued.lineage());
        if (lineage != null) {
            thread.execute(() -> lineage.onIssued(issued));
        }
    }

    public List<Renewable> lineages() {
        return List.copyOf(lineages.values());
    }

    private void tickAll() {
        for (Renewable lineage : lineages.values()) {
            try {
                lineage.tick();
            } catch (RuntimeException e) {
                // One lineage's bug must not stop the others' renewals.
                LOG.errorf(e, "renewal of %s failed unexpectedly", lineage.lineage());
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
