package net.goldentooth.agent.facts;

import java.util.List;
import java.util.Map;
import net.goldentooth.events.facts.NodeFacts;

/** Where each section of {@link NodeFacts} comes from; one method per collector. */
public interface FactSources {

    NodeFacts.Host host() throws Exception;

    NodeFacts.Network network() throws Exception;

    NodeFacts.Thermal thermal() throws Exception;

    NodeFacts.Load load() throws Exception;

    NodeFacts.Memory memory() throws Exception;

    List<NodeFacts.Filesystem> filesystems() throws Exception;

    NodeFacts.TimeSync timeSync() throws Exception;

    Map<String, String> units() throws Exception;

    NodeFacts.Kernel kernel() throws Exception;

    /** The certificate files found on disk (configured paths, kubeadm's), watched by pki for expiry. */
    List<NodeFacts.FoundCertificate> certificates() throws Exception;

    /** The kernel's cumulative CPU time and network bytes; sources that cannot read them leave the section out. */
    default NodeFacts.Counters counters() throws Exception {
        return null;
    }
}
