package net.goldentooth.events.facts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a node agent knows about its node, on the compacted {@code node.facts} topic (key: node).
 * Each section is collected separately with its own timeout: a hung collector (a dead NFS mount,
 * a wedged {@code vcgencmd}) marks only its own section stale.
 *
 * @param sequence     grows by one per publication of this agent since it started
 * @param certificates the X.509 certificates the agent found on disk (configured paths, kubeadm's
 *                     {@code /etc/kubernetes/pki}), so pki can watch certificates it did not issue
 * @param deliveryGap  the agent's most recent time without a broker, once it is over (null when
 *                     there was none since it started)
 * @param simulated    true when no machine of this name exists: an agent stands in for it (a scale
 *                     test's simulated nodes, {@code ./goldentooth up --simulate}); null for a real node
 * @param services     the health checks of the systems this node runs, chosen by its inventory
 *                     groups (null from agents older than the section, or when no check is configured)
 * @param counters     the kernel's cumulative CPU time and network traffic, for a reader to difference
 *                     between two facts into CPU busy share and bytes per second (null from older agents)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeFacts(
        String node,
        Instant collectedAt,
        long sequence,
        String agentVersion,
        Section<Host> host,
        Section<Network> network,
        Section<Thermal> thermal,
        Section<Load> load,
        Section<Memory> memory,
        Section<List<Filesystem>> filesystems,
        Section<TimeSync> timeSync,
        Section<Map<String, String>> units,
        Section<Kernel> kernel,
        Section<List<FoundCertificate>> certificates,
        DeliveryGap deliveryGap,
        Boolean simulated,
        Section<List<ServiceCheck>> services,
        Section<Counters> counters) {

    /** Facts without a delivery gap (the agent reached the broker all along). */
    public NodeFacts(String node, Instant collectedAt, long sequence, String agentVersion, Section<Host> host,
                     Section<Network> network, Section<Thermal> thermal, Section<Load> load, Section<Memory> memory,
                     Section<List<Filesystem>> filesystems, Section<TimeSync> timeSync,
                     Section<Map<String, String>> units, Section<Kernel> kernel,
                     Section<List<FoundCertificate>> certificates) {
        this(node, collectedAt, sequence, agentVersion, host, network, thermal, load, memory, filesystems, timeSync,
                units, kernel, certificates, null, null, null, null);
    }

    /** Facts of a real node (not simulated). */
    public NodeFacts(String node, Instant collectedAt, long sequence, String agentVersion, Section<Host> host,
                     Section<Network> network, Section<Thermal> thermal, Section<Load> load, Section<Memory> memory,
                     Section<List<Filesystem>> filesystems, Section<TimeSync> timeSync,
                     Section<Map<String, String>> units, Section<Kernel> kernel,
                     Section<List<FoundCertificate>> certificates, DeliveryGap deliveryGap) {
        this(node, collectedAt, sequence, agentVersion, host, network, thermal, load, memory, filesystems, timeSync,
                units, kernel, certificates, deliveryGap, null, null, null);
    }

    /** Facts without a services section (an agent with no service check configured). */
    public NodeFacts(String node, Instant collectedAt, long sequence, String agentVersion, Section<Host> host,
                     Section<Network> network, Section<Thermal> thermal, Section<Load> load, Section<Memory> memory,
                     Section<List<Filesystem>> filesystems, Section<TimeSync> timeSync,
                     Section<Map<String, String>> units, Section<Kernel> kernel,
                     Section<List<FoundCertificate>> certificates, DeliveryGap deliveryGap, Boolean simulated) {
        this(node, collectedAt, sequence, agentVersion, host, network, thermal, load, memory, filesystems, timeSync,
                units, kernel, certificates, deliveryGap, simulated, null, null);
    }

    /** Facts without kernel counters (an agent older than the section). */
    public NodeFacts(String node, Instant collectedAt, long sequence, String agentVersion, Section<Host> host,
                     Section<Network> network, Section<Thermal> thermal, Section<Load> load, Section<Memory> memory,
                     Section<List<Filesystem>> filesystems, Section<TimeSync> timeSync,
                     Section<Map<String, String>> units, Section<Kernel> kernel,
                     Section<List<FoundCertificate>> certificates, DeliveryGap deliveryGap, Boolean simulated,
                     Section<List<ServiceCheck>> services) {
        this(node, collectedAt, sequence, agentVersion, host, network, thermal, load, memory, filesystems, timeSync,
                units, kernel, certificates, deliveryGap, simulated, services, null);
    }

    /**
     * A time the agent could not deliver to the broker (a network cut, a broker down). It starts
     * when the first record that waited at least the agent's gap threshold was sent and ends when
     * its backlog was acknowledged; the counts are the agent's totals since it started.
     *
     * @param delayedRecords  records acknowledged late during this gap (delivered once, in order)
     * @param progressDropped {@code job.progress} records refused since start because the agent's
     *                        buffer was full (lost; their tasks end timed-out at the provisioner)
     * @param factsCoalesced  facts replaced by newer ones before they could be sent (facts are state:
     *                        only the newest per node matters)
     */
    public record DeliveryGap(Instant from, Instant to, long delayedRecords, long progressDropped,
                              long factsCoalesced) {
    }

    /**
     * One section of facts. When the collector failed or ran out of time, {@code stale} is true,
     * {@code error} says why and {@code value} is the last good value (or null).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Section<T>(T value, boolean stale, String error, Instant collectedAt) {
        public static <T> Section<T> fresh(T value, Instant at) {
            return new Section<>(value, false, null, at);
        }
    }

    /** @param model Pi model from {@code /proc/device-tree/model}, or null on other hardware */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Host(String hostname, String kernel, String arch, String model, String os, long uptimeSeconds) {
    }

    /** @param defaultRouteNic the NIC that carries the default route (the seed's eth0/wlan0 mix-up) */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Network(List<Nic> nics, String defaultRouteNic, String defaultGateway) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Nic(String name, String mac, boolean up, List<String> addresses) {
    }

    /**
     * @param throttledRaw   {@code vcgencmd get_throttled} value ({@code 0x50005}), null where absent
     * @param throttleFlags  decoded flags: under-voltage, arm-frequency-capped, throttled,
     *                       soft-temperature-limit, and their "occurred" variants
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Thermal(Double cpuTemperatureCelsius, Long cpuFrequencyKhz, String throttledRaw,
                          List<String> throttleFlags) {
    }

    public record Load(double load1, double load5, double load15, int cpus) {
    }

    /**
     * The kernel's cumulative counters since boot, summed over the node: CPU seconds of all CPUs from
     * {@code /proc/stat} (busy is every mode but idle and iowait; guest time is already inside user and
     * nice, so it is not added twice) and the bytes of every interface but loopback from
     * {@code /proc/net/dev}. They only grow until a reboot; a reader differences two of them, and
     * treats a decrease as a reset (no rate for that interval).
     */
    public record Counters(double cpuBusySeconds, double cpuTotalSeconds, long networkReceiveBytes,
                           long networkTransmitBytes) {
    }

    public record Memory(long totalBytes, long availableBytes, long swapTotalBytes, long swapFreeBytes) {
    }

    public record Filesystem(String mountPoint, String device, String type, long totalBytes, long availableBytes) {
    }

    /** @param offsetSeconds clock offset from the time source, where the agent can tell */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TimeSync(Boolean synced, Double offsetSeconds, String source) {
    }

    /** @param sysctls the seed's three: bridge-nf-call-iptables, bridge-nf-call-ip6tables, ip_forward */
    public record Kernel(List<String> modules, Map<String, String> sysctls) {
    }

    /**
     * A certificate file found on the node's disk.
     *
     * @param sha256Fingerprint hex SHA-256 of the DER encoding
     * @param managed           true when the file is one of the agent's own renewed lineages
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FoundCertificate(String path, String subject, String issuer, String serial,
                                   Instant notBefore, Instant notAfter, String sha256Fingerprint,
                                   boolean managed) {
    }
}
