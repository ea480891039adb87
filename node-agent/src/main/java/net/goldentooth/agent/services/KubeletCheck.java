package net.goldentooth.agent.services;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import net.goldentooth.events.facts.ServiceCheck;
import net.goldentooth.events.facts.ServiceCheck.State;

/**
 * The kubelet's own health endpoint on this node ({@code http://127.0.0.1:10248/healthz}). This is
 * the node's side; the API server's side (the node's conditions, {@code Ready}, taints) stays on
 * {@code node.conditions}, which the monitor reads from Kubernetes: that one is still true when the
 * node and its agent are gone, and a kubelet that is healthy locally can still be NotReady there
 * (expired client certificate, partition), so the two are reported apart rather than merged.
 */
public final class KubeletCheck implements ServiceProbe {

    private final String healthz;
    private final HttpGetter http;
    private final Clock clock;

    public KubeletCheck(String healthz, HttpGetter http, Clock clock) {
        this.healthz = healthz;
        this.http = http;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "kubelet";
    }

    @Override
    public ServiceCheck check() throws InterruptedException {
        try {
            HttpGetter.Answer answer = http.get(healthz);
            String body = answer.body().strip();
            boolean ok = answer.status() == 200 && body.equals("ok");
            return new ServiceCheck(name(), name(), ok ? State.OK : State.CRITICAL, null,
                    Map.of("healthz", body.length() > 200 ? body.substring(0, 200) : body), clock.instant(),
                    ok ? null : "healthz answered HTTP " + answer.status());
        } catch (IOException e) {
            return new ServiceCheck(name(), name(), State.UNKNOWN, null, Map.of(), clock.instant(),
                    "kubelet " + healthz + ": " + e.getMessage());
        }
    }
}
