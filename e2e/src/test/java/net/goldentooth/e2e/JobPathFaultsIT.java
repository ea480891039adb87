package net.goldentooth.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.TargetState;
import net.goldentooth.events.job.TargetStatus;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.LocalCluster;
import net.goldentooth.testkit.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The job path under process faults, with every part real: the KRaft broker, the provisioner and
 * three node agents, each its own JVM, killed with SIGKILL mid-job.
 *
 * <p>The seed's failure this guards against is Salt's and Ansible's "minion did not return" /
 * random UNREACHABLE: a result that went missing while the job ran. Here a dead agent's target
 * must end in a definite state, and a dead provisioner must not lose a result.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobPathFaultsIT {

    private LocalCluster cluster;

    @BeforeAll
    void startCluster() {
        cluster = LocalCluster.builder(KafkaBroker.shared().bootstrapServers(), List.of("alpha", "beta", "gamma"))
                .provisioner(Map.of("goldentooth.provisioner.accept-deadline", "5s"))
                .start();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void anAgentKilledMidJobEndsTimedOutOrUnreachableWhileTheOthersSucceed() {
        JobStatus job = cluster.submit(request("alpha,beta,gamma", "echo started; sleep 3; echo finished", 8));

        cluster.awaitJob(job.jobId(), s -> state(s, "gamma") == TargetState.RUNNING, Duration.ofSeconds(30));
        cluster.agent("gamma").kill();

        JobStatus done = cluster.awaitJob(job.jobId(), s -> s.state().terminal(), Duration.ofSeconds(60));
        assertEquals(JobState.FAILED, done.state());
        assertEquals(TargetState.SUCCEEDED, state(done, "alpha"));
        assertEquals(TargetState.SUCCEEDED, state(done, "beta"));
        assertEquals("started\nfinished\n", done.targets().get("alpha").stdout());
        assertTrue(Set.of(TargetState.TIMED_OUT, TargetState.UNREACHABLE).contains(state(done, "gamma")),
                "the killed agent's target: " + done.targets().get("gamma"));

        cluster.agent("gamma").restart();
    }

    @Test
    void aProvisionerKilledMidJobLosesNoResultAndCountsNoneTwice() {
        JobStatus job = cluster.submit(request("alpha,beta", "echo before; sleep 3; echo after", 60));
        cluster.awaitJob(job.jobId(), s -> state(s, "alpha") == TargetState.RUNNING
                && state(s, "beta") == TargetState.RUNNING, Duration.ofSeconds(30));

        cluster.provisioner().kill();
        // The agents finish and report while no provisioner is running.
        ServiceProcess.sleep(4_000);
        cluster.provisioner().restart();

        JobStatus done = cluster.awaitJob(job.jobId(), s -> s.state().terminal(), Duration.ofSeconds(60));
        assertEquals(JobState.SUCCEEDED, done.state(), "every result survives the restart: " + done.targets());
        for (String node : List.of("alpha", "beta")) {
            TargetStatus target = done.targets().get(node);
            assertEquals(0, target.exitCode(), node);
            assertEquals("before\nafter\n", target.stdout(), node + ": output must be neither lost nor doubled");
        }
    }

    private static JobRequest request(String pattern, String command, int timeoutSeconds) {
        return new JobRequest(null, JobKind.COMMAND, pattern, command, null, timeoutSeconds, null, false, "e2e");
    }

    private static TargetState state(JobStatus status, String node) {
        TargetStatus target = status.targets().get(node);
        return target == null ? null : target.state();
    }
}
