package net.goldentooth.agent.messaging;

/** The CloudEvents source of what the agent publishes for a node. */
public final class AgentSources {

    public static String of(String node) {
        return "//node-agent/" + node;
    }

    private AgentSources() {
    }
}
