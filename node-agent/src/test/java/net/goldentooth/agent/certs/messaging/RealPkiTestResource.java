package net.goldentooth.agent.certs.messaging;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** A test resource around {@link RealPki}: starts it, lets the subclass add the agent's settings, stops it. */
abstract class RealPkiTestResource implements QuarkusTestResourceLifecycleManager {

    private RealPki pki;

    /** The node name's prefix (the node is {@code <prefix>-<random>}). */
    abstract String name();

    /** Prepares what the agent needs beside pki and adds its settings to {@code properties}. */
    abstract void configure(RealPki pki, Map<String, String> properties) throws Exception;

    @Override
    public Map<String, String> start() {
        try {
            pki = RealPki.start(name());
            Map<String, String> properties = pki.agentProperties();
            configure(pki, properties);
            return properties;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (pki != null) {
            pki.close();
        }
    }
}
