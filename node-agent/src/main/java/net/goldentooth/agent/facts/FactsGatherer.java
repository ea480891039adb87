package net.goldentooth.agent.facts;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import net.goldentooth.agent.facts.CollectorRunner.SectionKey;
import net.goldentooth.agent.services.ServiceProbe;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.facts.NodeFacts.Section;
import net.goldentooth.events.facts.ServiceCheck;

/**
 * Gathers every section of this node's facts, each collector bounded by its own timeout. The
 * sections that run commands (time synchronisation: timedatectl and chronyc; units: systemctl) are
 * gathered every {@code commandEvery}-th round only, once per facts interval: on an idle node those
 * process spawns were most of the agent's CPU. A unit that stops is seen within that interval.
 */
public final class FactsGatherer implements AutoCloseable {

    private final CollectorRunner runner;
    private final SectionKey<NodeFacts.Host> host;
    private final SectionKey<NodeFacts.Network> network;
    private final SectionKey<NodeFacts.Thermal> thermal;
    private final SectionKey<NodeFacts.Load> load;
    private final SectionKey<NodeFacts.Memory> memory;
    private final SectionKey<List<NodeFacts.Filesystem>> filesystems;
    private final SectionKey<NodeFacts.TimeSync> timeSync;
    private final SectionKey<Map<String, String>> units;
    private final SectionKey<NodeFacts.Kernel> kernel;
    private final SectionKey<List<NodeFacts.FoundCertificate>> certificates;
    private final SectionKey<NodeFacts.Counters> counters;
    private final Map<String, SectionKey<ServiceCheck>> services = new LinkedHashMap<>();
    private final Clock clock;

    /** @param onTimeout told the section name when a collector overruns its timeout */
    public FactsGatherer(FactSources sources, Duration collectorTimeout, Clock clock, Consumer<String> onTimeout) {
        this(sources, collectorTimeout, 1, clock, onTimeout);
    }

    /** @param commandEvery how many rounds apart the command-backed sections are gathered */
    public FactsGatherer(FactSources sources, Duration collectorTimeout, int commandEvery, Clock clock,
                         Consumer<String> onTimeout) {
        this(sources, List.of(), collectorTimeout, commandEvery, clock, onTimeout);
    }

    /**
     * @param serviceChecks the node's service checks, each a collector of its own (section name
     *                      {@code service:<name>}) run with the command-backed sections, once per facts interval
     */
    public FactsGatherer(FactSources sources, List<ServiceProbe> serviceChecks, Duration collectorTimeout,
                         int commandEvery, Clock clock, Consumer<String> onTimeout) {
        this.clock = clock;
        this.runner = new CollectorRunner(collectorTimeout, clock, onTimeout);
        this.host = runner.register("host", sources::host);
        this.network = runner.register("network", sources::network);
        this.thermal = runner.register("thermal", sources::thermal);
        this.load = runner.register("load", sources::load);
        this.memory = runner.register("memory", sources::memory);
        this.filesystems = runner.register("filesystems", sources::filesystems);
        this.timeSync = runner.register("timeSync", sources::timeSync, commandEvery);
        this.units = runner.register("units", sources::units, commandEvery);
        this.kernel = runner.register("kernel", sources::kernel);
        this.certificates = runner.register("certificates", sources::certificates);
        this.counters = runner.register("counters", sources::counters);
        for (ServiceProbe probe : serviceChecks) {
            services.put(probe.name(), runner.register("service:" + probe.name(), probe::check, commandEvery));
        }
    }

    /** One round of collection; returns within about the collector timeout whatever hangs. */
    public CollectedFacts gather() {
        CollectorRunner.Round round = runner.collect();
        return new CollectedFacts(round.get(host), round.get(network), round.get(thermal), round.get(load),
                round.get(memory), round.get(filesystems), round.get(timeSync), round.get(units), round.get(kernel),
                round.get(certificates), services(round), counters(round));
    }

    /** Left out when the sources have no counters at all (as an older agent's facts). */
    private Section<NodeFacts.Counters> counters(CollectorRunner.Round round) {
        Section<NodeFacts.Counters> section = round.get(counters);
        return section.value() == null && !section.stale() ? null : section;
    }

    /**
     * The checks' results as one section, always fresh: a check that failed or overran its timeout
     * is in it as {@code unknown} with the reason (and keeps its last details), so one hung daemon
     * never hides the others.
     */
    private Section<List<ServiceCheck>> services(CollectorRunner.Round round) {
        if (services.isEmpty()) {
            return null;
        }
        List<ServiceCheck> checks = new ArrayList<>();
        services.forEach((name, key) -> {
            Section<ServiceCheck> section = round.get(key);
            if (!section.stale() && section.value() != null) {
                checks.add(section.value());
            } else {
                ServiceCheck last = section.value();
                checks.add(new ServiceCheck(name, last == null ? name : last.kind(), ServiceCheck.State.UNKNOWN,
                        last == null ? null : last.version(), last == null ? Map.of() : last.details(),
                        clock.instant(), section.error()));
            }
        });
        return Section.fresh(List.copyOf(checks), clock.instant());
    }

    @Override
    public void close() {
        runner.close();
    }
}
