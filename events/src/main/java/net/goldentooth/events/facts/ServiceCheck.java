package net.goldentooth.events.facts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Map;
import net.goldentooth.events.WireNames;

/**
 * The result of one health check of a system the node runs (Slurm, HAProxy, Consul, ...), in the
 * {@code services} section of {@link NodeFacts}. Which checks a node runs follows its inventory
 * groups (a node in {@code slurm_compute} runs {@code slurmd}).
 *
 * <p>{@code details} holds the check's typed findings as strings under documented keys, so a new
 * finding is an additive change. The keys the monitor's rules read:
 * <ul>
 *   <li>{@code slurmd}: {@code state} (Slurm's node state, lower case: {@code idle}, {@code inval},
 *       {@code down*}...), {@code realMemoryMb} (configured RealMemory), {@code measuredMemoryMb} (MemTotal), {@code reason};</li>
 *   <li>{@code haproxy}: {@code backend.<name>.serversUp} and {@code backend.<name>.servers} per
 *       backend, {@code backend.<name>.status} (HAProxy's own {@code UP}/{@code DOWN});</li>
 *   <li>{@code consul}: {@code lastSeenUnix} (the epoch second of the server's own last-seen mark
 *       in its data directory: Consul refuses to rejoin once it is older than
 *       {@code server_rejoin_age_max}), {@code leader}, {@code members.alive},
 *       {@code members.failed}, {@code servers.alive}, {@code servers.total},
 *       {@code rejoinAgeMaxSeconds};</li>
 *   <li>{@code vault}: {@code sealed}, {@code standby}, {@code initialized};</li>
 *   <li>{@code nomad}: {@code status} ({@code ready}, {@code down}...), {@code eligibility};</li>
 *   <li>{@code kubelet}: {@code healthz};</li>
 *   <li>{@code ports}: {@code port.<n>} = {@code free}, {@code agent}, or the holder
 *       ({@code held by node_exporter (pid 812)}).</li>
 * </ul>
 *
 * @param name      the check's name on this node ({@code slurmd}, {@code haproxy}); unique per node
 * @param kind      what is checked; equals {@code name} unless a node runs two checks of a kind
 * @param version   the software's version where the check can tell, else null
 * @param checkedAt when the check finished (or gave up)
 * @param error     why the state is {@code unknown} (no answer, a timeout), else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceCheck(String name, String kind, State state, String version, Map<String, String> details,
                           Instant checkedAt, String error) {

    public ServiceCheck {
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    /**
     * The check's verdict: {@code ok}; {@code warning} (works, but heading for trouble: a Consul
     * server's last-seen mark getting old, an HAProxy backend with servers down); {@code critical}
     * (not serving: a backend with no server up, a sealed Vault, a Slurm node in {@code inval});
     * {@code unknown} (the check got no answer: the daemon is not running or did not reply in time).
     */
    public enum State {
        OK, WARNING, CRITICAL, UNKNOWN;

        @JsonValue
        public String wire() {
            return WireNames.of(this);
        }

        @JsonCreator
        public static State fromWire(String value) {
            return WireNames.parse(State.class, value);
        }

        /** The worse of two states; unknown ranks between warning and critical. */
        public State worst(State other) {
            return rank() >= other.rank() ? this : other;
        }

        private int rank() {
            return switch (this) {
                case OK -> 0;
                case WARNING -> 1;
                case UNKNOWN -> 2;
                case CRITICAL -> 3;
            };
        }
    }

    /** A detail read as a number, or null when absent or not a number. */
    public Double number(String key) {
        String value = details.get(key);
        if (value == null) {
            return null;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
