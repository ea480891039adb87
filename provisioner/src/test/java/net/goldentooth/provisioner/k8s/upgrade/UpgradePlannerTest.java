package net.goldentooth.provisioner.k8s.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.goldentooth.provisioner.k8s.upgrade.UpgradeStep.Kind;
import net.goldentooth.provisioner.k8s.upgrade.UpgradeState.Phase;
import org.junit.jupiter.api.Test;

class UpgradePlannerTest {

    private static final UpgradePlanner.Version V = UpgradePlanner.Version.parse("1.33.2");
    private static final List<String> CP = List.of("bettley", "cargyll", "dalt");
    private static final List<String> WORKERS = List.of("erenford", "velaryon");

    @Test
    void stepsRunInKubeadmsOrder() {
        List<UpgradeStep> plan = UpgradePlanner.plan(V, CP, WORKERS);
        List<String> shape = plan.stream().map(s -> s.kind() + " " + String.join(",", s.nodes())).toList();
        assertEquals(List.of(
                "COMMAND bettley,cargyll,dalt,erenford,velaryon",
                "COMMAND bettley",
                "GATE ",
                "COMMAND bettley",
                "COMMAND cargyll",
                "COMMAND dalt",
                "DRAIN bettley", "COMMAND bettley", "UNCORDON bettley",
                "DRAIN cargyll", "COMMAND cargyll", "UNCORDON cargyll",
                "DRAIN dalt", "COMMAND dalt", "UNCORDON dalt",
                "DRAIN erenford", "COMMAND erenford", "UNCORDON erenford",
                "DRAIN velaryon", "COMMAND velaryon", "UNCORDON velaryon"), shape);
        assertTrue(plan.get(0).command().contains("core:/stable:/v1.33/"), plan.get(0).command());
        assertTrue(plan.get(1).command().endsWith("kubeadm upgrade plan v1.33.2"));
        assertEquals("kubeadm upgrade apply v1.33.2 --certificate-renewal=false -y", plan.get(3).command());
        assertTrue(plan.get(4).command().endsWith("kubeadm upgrade node"));
        assertTrue(plan.get(7).command().contains("kubelet='1.33.2-*'"), plan.get(7).command());
        for (int i = 0; i < plan.size(); i++) {
            assertEquals(i + 1, plan.get(i).number());
        }
    }

    @Test
    void kubeletsAreUpgradedOneNodeAtATime() {
        List<UpgradeStep> plan = UpgradePlanner.plan(V, CP, WORKERS);
        String cordoned = null;
        for (UpgradeStep step : plan.subList(6, plan.size())) {
            assertEquals(1, step.nodes().size());
            String node = step.nodes().get(0);
            switch (step.kind()) {
                case DRAIN -> {
                    assertEquals(null, cordoned, "a node is drained only when no other is out of service");
                    cordoned = node;
                }
                case COMMAND -> assertEquals(cordoned, node, "the kubelet is upgraded on the drained node");
                case UNCORDON -> {
                    assertEquals(cordoned, node);
                    cordoned = null;
                }
                default -> throw new AssertionError(step.toString());
            }
        }
        assertEquals(null, cordoned);
    }

    @Test
    void theGateHoldsTheApplyUntilApproved() {
        UpgradeState s = UpgradeState.start(UpgradePlanner.plan(V, CP, WORKERS));
        assertEquals(Phase.RUNNING, s.phase());
        s = s.on(new UpgradeState.StepSucceeded(1)).on(new UpgradeState.StepSucceeded(2));
        assertEquals(Phase.AWAITING_APPROVAL, s.phase());
        assertEquals(Kind.GATE, s.current().orElseThrow().kind());
        UpgradeState waiting = s;
        assertThrows(UpgradeState.IllegalTransition.class, () -> waiting.on(new UpgradeState.StepSucceeded(3)),
                "a gate is not passed by a step result");
        s = s.on(new UpgradeState.Approved());
        assertEquals(Phase.RUNNING, s.phase());
        assertTrue(s.current().orElseThrow().title().startsWith("kubeadm upgrade apply"));
        UpgradeState running = s;
        UpgradeState.IllegalTransition twice = assertThrows(UpgradeState.IllegalTransition.class,
                () -> running.on(new UpgradeState.Approved()));
        assertTrue(twice.getMessage().startsWith("the upgrade is not waiting for approval; it is at step 4"),
                twice.getMessage());
    }

    @Test
    void aFailureStopsThePlan() {
        UpgradeState s = UpgradeState.start(UpgradePlanner.plan(V, CP, WORKERS));
        s = s.on(new UpgradeState.StepSucceeded(1)).on(new UpgradeState.StepFailed(2, "exit code 100 on bettley"));
        assertEquals(Phase.FAILED, s.phase());
        assertTrue(s.current().isEmpty());
        assertEquals("step 2 (upgrade kubeadm on the first control-plane node bettley and check the plan) failed: "
                + "exit code 100 on bettley", s.failure());
        UpgradeState failed = s;
        assertThrows(UpgradeState.IllegalTransition.class, () -> failed.on(new UpgradeState.StepSucceeded(3)));
        assertThrows(UpgradeState.IllegalTransition.class, () -> failed.on(new UpgradeState.Approved()));
    }

    @Test
    void everyStepSucceedingEndsTheUpgrade() {
        List<UpgradeStep> plan = UpgradePlanner.plan(V, List.of("bettley"), List.of());
        UpgradeState s = UpgradeState.start(plan);
        List<Integer> ran = new ArrayList<>();
        while (!s.phase().terminal()) {
            UpgradeStep step = s.current().orElseThrow();
            s = step.kind() == Kind.GATE ? s.on(new UpgradeState.Approved())
                    : s.on(new UpgradeState.StepSucceeded(step.number()));
            ran.add(step.number());
        }
        assertEquals(Phase.SUCCEEDED, s.phase());
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7), ran);
        UpgradeState done = s;
        assertThrows(UpgradeState.IllegalTransition.class, () -> done.on(new UpgradeState.Approved()));
    }

    @Test
    void outOfOrderResultsAndBadInputAreRefused() {
        UpgradeState s = UpgradeState.start(UpgradePlanner.plan(V, CP, WORKERS));
        assertThrows(UpgradeState.IllegalTransition.class, () -> s.on(new UpgradeState.StepSucceeded(2)));
        assertThrows(IllegalArgumentException.class, () -> UpgradePlanner.plan(V, List.of(), WORKERS));
        assertThrows(IllegalArgumentException.class, () -> UpgradePlanner.plan(V, CP, List.of("dalt")));
        assertEquals("Kubernetes version '1.33' is invalid: give the full version to upgrade to, e.g. 1.33.2",
                assertThrows(IllegalArgumentException.class, () -> UpgradePlanner.Version.parse("1.33")).getMessage());
        assertEquals("1.33.2", UpgradePlanner.Version.parse("v1.33.2").toString());
    }
}
