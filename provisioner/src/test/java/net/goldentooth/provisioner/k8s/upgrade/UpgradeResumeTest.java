package net.goldentooth.provisioner.k8s.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.goldentooth.provisioner.k8s.upgrade.UpgradeState.Phase;
import org.junit.jupiter.api.Test;

/** What a restarted provisioner reads back from an upgrade job's output, and where it continues. */
class UpgradeResumeTest {

    private static final List<UpgradeStep> PLAN = UpgradePlanner.plan(UpgradePlanner.Version.parse("1.33.2"),
            List.of("cp1", "cp2"), List.of("w1"));

    @Test
    void theLastFinishedStepIsReadFromTheMarkers() {
        String output = """
                kubeadm upgrade to v1.33.2, 14 steps:
                  1. switch the Kubernetes apt repository to v1.33
                ==> step 1/14: switch the Kubernetes apt repository to v1.33
                    job j1 on cp1,cp2,w1
                [step 1/14 done]
                ==> step 2/14: upgrade kubeadm on the first control-plane node cp1 and check the plan
                [step 2/14 done]
                ==> step 3/14: approval before kubeadm upgrade apply v1.33.2 on cp1
                waiting for approval: goldentooth job approve x
                [step 3/14 approved]
                ==> step 4/14: kubeadm upgrade apply v1.33.2 on cp1
                """;
        assertEquals(3, UpgradeRunner.lastFinishedStep(output));
        assertEquals(0, UpgradeRunner.lastFinishedStep(null));
        assertEquals(0, UpgradeRunner.lastFinishedStep("a line mentioning [step 9/14 done] inside\n"));
    }

    @Test
    void aRestartBeforeTheGateWaitsAtItAgainAndOneAfterItDoesNot() {
        UpgradeState beforeGate = UpgradeState.resumedAfter(PLAN, 2);
        assertEquals(Phase.AWAITING_APPROVAL, beforeGate.phase());
        UpgradeState afterGate = UpgradeState.resumedAfter(PLAN, 3);
        assertEquals(Phase.RUNNING, afterGate.phase());
        assertEquals(4, afterGate.current().orElseThrow().number());
        assertEquals(1, UpgradeState.resumedAfter(PLAN, 0).current().orElseThrow().number());
        UpgradeState midKubelets = UpgradeState.resumedAfter(PLAN, 6);
        assertEquals("upgrade kubelet and kubectl on cp1", midKubelets.current().orElseThrow().title());
        assertEquals(Phase.SUCCEEDED, UpgradeState.resumedAfter(PLAN, PLAN.size()).phase());
    }
}
