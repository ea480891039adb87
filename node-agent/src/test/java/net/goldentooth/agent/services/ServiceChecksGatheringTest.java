package net.goldentooth.agent.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.goldentooth.agent.facts.CollectedFacts;
import net.goldentooth.agent.facts.FactsGatherer;
import net.goldentooth.events.facts.ServiceCheck;
import net.goldentooth.events.facts.ServiceCheck.State;
import org.junit.jupiter.api.Test;

/** Each service check is its own collector: a hung or failing daemon makes only its own check unknown. */
class ServiceChecksGatheringTest {

    private static ServiceProbe probe(String name, ServiceCheck.State state, Map<String, String> details) {
        return new ServiceProbe() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ServiceCheck check() {
                return new ServiceCheck(name, name, state, "1.0", details, Clock.systemUTC().instant(), null);
            }
        };
    }

    @Test
    void aHungCheckIsUnknownWithItsTimeoutAndTheOthersAreFresh() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch firstDone = new CountDownLatch(1);
        ServiceProbe consul = new ServiceProbe() {
            private int calls;

            @Override
            public String name() {
                return "consul";
            }

            @Override
            public ServiceCheck check() throws InterruptedException {
                if (calls++ > 0) {
                    // The seed's wedged daemon: the HTTP call never returns.
                    release.await(30, TimeUnit.SECONDS);
                }
                firstDone.countDown();
                return new ServiceCheck("consul", "consul", State.OK, "1.20.2", Map.of("leader", "10.4.0.12:8300"),
                        Clock.systemUTC().instant(), null);
            }
        };
        ServiceProbe failing = new ServiceProbe() {
            @Override
            public String name() {
                return "vault";
            }

            @Override
            public ServiceCheck check() {
                throw new IllegalStateException("no route to 127.0.0.1:8200");
            }
        };
        ServiceProbe haproxy = probe("haproxy", State.CRITICAL, Map.of("backend.k8s_api_servers.serversUp", "0"));
        try (FactsGatherer gatherer = new FactsGatherer(new FactsGathererSources(), List.of(consul, failing, haproxy),
                Duration.ofMillis(1500), 1, Clock.systemUTC(), s -> { })) {
            CollectedFacts first = gatherer.gather();
            assertTrue(firstDone.await(1, TimeUnit.SECONDS));
            List<ServiceCheck> checks = first.services().value();
            assertEquals(List.of("consul", "vault", "haproxy"), checks.stream().map(ServiceCheck::name).toList());
            assertEquals(State.OK, checks.get(0).state());
            assertEquals(State.UNKNOWN, checks.get(1).state());
            assertEquals("no route to 127.0.0.1:8200", checks.get(1).error());
            assertEquals(State.CRITICAL, checks.get(2).state());

            long start = System.nanoTime();
            CollectedFacts second = gatherer.gather();
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15), "a hung check must not hold the round");
            ServiceCheck hung = second.services().value().get(0);
            assertEquals(State.UNKNOWN, hung.state());
            assertEquals("collector 'service:consul' did not finish within PT1.5S", hung.error());
            assertEquals("10.4.0.12:8300", hung.details().get("leader"), "the last details are kept");
            assertEquals("1.20.2", hung.version());
            assertEquals(State.CRITICAL, second.services().value().get(2).state());
            assertNotEquals(first.slowFacts(), second.slowFacts(), "a check's state change is published at once");
        } finally {
            release.countDown();
        }
    }

    @Test
    void noChecksMeansNoServicesSection() {
        try (FactsGatherer gatherer = new FactsGatherer(new FactsGathererSources(), Duration.ofSeconds(1),
                Clock.systemUTC(), s -> { })) {
            assertNull(gatherer.gather().services());
        }
    }
}
