package net.goldentooth.agent.facts;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import net.goldentooth.agent.facts.CollectorRunner.SectionKey;
import net.goldentooth.events.facts.NodeFacts;

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

    /** @param onTimeout told the section name when a collector overruns its timeout */
    public FactsGatherer(FactSources sources, Duration collectorTimeout, Clock clock, Consumer<String> onTimeout) {
        this(sources, collectorTimeout, 1, clock, onTimeout);
    }

    /** @param commandEvery how many rounds apart the command-backed sections are gathered */
    public FactsGatherer(FactSources sources, Duration collectorTimeout, int commandEvery, Clock clock,
                         Consumer<String> onTimeout) {
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
    }

    /** One round of collection; returns within about the collector timeout whatever hangs. */
    public CollectedFacts gather() {
        CollectorRunner.Round round = runner.collect();
        return new CollectedFacts(round.get(host), round.get(network), round.get(thermal), round.get(load),
                round.get(memory), round.get(filesystems), round.get(timeSync), round.get(units), round.get(kernel),
                round.get(certificates));
    }

    @Override
    public void close() {
        runner.close();
    }
}
