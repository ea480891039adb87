package net.goldentooth.provisioner.k8s.upgrade;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import net.goldentooth.events.Topics;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.TargetState;
import net.goldentooth.events.job.TargetStatus;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.provisioner.jobs.JobValidation;
import net.goldentooth.testkit.KafkaBroker;

/**
 * Before the provisioner starts, puts on {@code job.status} what a provisioner that was killed
 * mid-upgrade left there: a running {@code k8s_upgrade} job whose output records steps 1 and 2
 * done and the gate reached. The provisioner under test rebuilds its job table from that record.
 */
public class ResumedUpgradeTestResource extends UpgradeTestResource {

    static final String JOB_ID = "resumed-" + UUID.randomUUID();

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        Instant now = Instant.now();
        String output = """
                kubeadm upgrade to v1.35.0, 14 steps:
                ==> step 1/14: switch the Kubernetes apt repository to v1.35
                    job before-1 on cp1,cp2,w1
                [step 1/14 done]
                ==> step 2/14: upgrade kubeadm on the first control-plane node cp1 and check the plan
                    job before-2 on cp1
                [step 2/14 done]
                ==> step 3/14: approval before kubeadm upgrade apply v1.35.0 on cp1
                waiting for approval: goldentooth job approve %s
                """.formatted(JOB_ID);
        JobRequest request = new JobRequest(null, JobKind.K8S_UPGRADE, "k8s", "1.35.0", null, 600, null, false, "it");
        TargetStatus target = new TargetStatus(JobValidation.PROVISIONER_TARGET, TargetState.RUNNING, "task-" + JOB_ID,
                "agent", null, null, null, output, null, false, now, 9L);
        JobStatus status = new JobStatus(JOB_ID, request, JobState.RUNNING, now.minusSeconds(60), now,
                now.plusSeconds(600), Map.of(JobValidation.PROVISIONER_TARGET, target), 7);
        try (EventPublisher publisher = new EventPublisher(KafkaBroker.shared().bootstrapServers(), "//killed-provisioner",
                Clock.systemUTC())) {
            publisher.publish(Topics.JOB_STATUS, JOB_ID, status).join();
        }
        return config;
    }
}
