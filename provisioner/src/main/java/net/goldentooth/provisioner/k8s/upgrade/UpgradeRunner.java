package net.goldentooth.provisioner.k8s.upgrade;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.Task;
import net.goldentooth.events.job.TargetStatus;
import net.goldentooth.provisioner.errors.ErrorKind;
import net.goldentooth.provisioner.inventory.HostPattern;
import net.goldentooth.provisioner.inventory.Inventory;
import net.goldentooth.provisioner.jobs.JobDesk;
import net.goldentooth.provisioner.jobs.JobValidation;
import net.goldentooth.provisioner.jobs.LocalProgress;
import net.goldentooth.provisioner.jobs.LocalRunner;
import net.goldentooth.provisioner.k8s.DrainResult;
import net.goldentooth.provisioner.k8s.K8sConfig;
import net.goldentooth.provisioner.k8s.K8sException;
import net.goldentooth.provisioner.k8s.KubeOperations;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Runs {@code k8s_upgrade} jobs: plans with {@link UpgradePlanner}, then walks the plan with
 * {@link UpgradeState}. Node-level steps are {@code command_root} jobs of their own, submitted
 * through the ordinary job path (agents, signing, history) with the idempotency key
 * {@code <upgrade job>/step/<n>}; drains and uncordons go through the Kubernetes API.
 *
 * <p>The upgrade job's output is its record: the plan, then one {@code [step n/N done]} or
 * {@code [step n/N approved]} line per finished step. After a restart the provisioner re-plans
 * from the same request and inventory, skips the steps the output marks finished, and re-attaches
 * to a running step's job through its idempotency key, so no step runs twice.
 */
@ApplicationScoped
public class UpgradeRunner implements LocalRunner {

    private static final Logger LOG = Logger.getLogger(UpgradeRunner.class);
    private static final Pattern FINISHED_STEP = Pattern.compile("^\\[step (\\d+)/\\d+ (done|approved)]$",
            Pattern.MULTILINE);

    /** Looked up when a step runs: the desk is built with this runner in it. */
    @Inject
    Provider<JobDesk> jobs;
    @Inject
    Inventory inventory;
    @Inject
    KubeOperations kube;
    @Inject
    K8sConfig config;
    @Inject
    Clock clock;

    /** Upgrades waiting at their gate, by job id. */
    private final Map<String, CompletableFuture<Void>> gates = new ConcurrentHashMap<>();
    private final ExecutorService runs = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "k8s-upgrade");
        t.setDaemon(true);
        return t;
    });
    private final net.goldentooth.provisioner.jobs.RunningJobs driving = new net.goldentooth.provisioner.jobs.RunningJobs();

    @Override
    public JobKind kind() {
        return JobKind.K8S_UPGRADE;
    }

    @Override
    public void validate(JobRequest request) {
        plan(request);
    }

    @Override
    public void start(Task task, JobRequest request, Consumer<JobProgress> sink) {
        LocalProgress progress = new LocalProgress(task.jobId(), task.taskId(), task.node(), 0, clock, sink);
        progress.accepted();
        driving.reclaim(task.jobId());
        runs.execute(() -> driving.drive(task.jobId(),
                () -> drive(request, UpgradeState.start(plan(request)), progress, true)));
    }

    /**
     * The job's partition moved to another instance: the driver is interrupted (a step job already
     * submitted runs on, and the new owner finds it by its idempotency key) and reports nothing
     * more; the new owner continues after the last finished step, as after a restart.
     */
    @Override
    public void release(String jobId) {
        if (!driving.release(jobId, java.time.Duration.ofSeconds(5))) {
            LOG.warnf("job %s: the upgrade driver did not stop within 5 s of being given away", jobId);
        }
    }

    @Override
    public void resume(JobStatus status, Consumer<JobProgress> sink) {
        TargetStatus target = status.targets().get(JobValidation.PROVISIONER_TARGET);
        if (target == null || target.state().terminal()) {
            return;
        }
        LocalProgress progress = new LocalProgress(status.jobId(), target.taskId(), target.node(),
                target.lastSeq() == null ? 0 : target.lastSeq() + 1, clock, sink);
        int finished = lastFinishedStep(target.stdout());
        UpgradeState from;
        try {
            from = UpgradeState.resumedAfter(plan(status.request()), finished);
        } catch (K8sException e) {
            // The inventory changed under the upgrade: its plan cannot be rebuilt, so it ends here, saying why.
            progress.output("stderr", "[provisioner restarted: cannot continue the upgrade: " + e.getMessage() + "]\n");
            progress.finished(1, 0, false, false);
            return;
        }
        progress.output("stdout", "[provisioner restarted: continuing after step " + finished + "]\n");
        driving.reclaim(status.jobId());
        runs.execute(() -> driving.drive(status.jobId(), () -> drive(status.request(), from, progress, false)));
    }

    /** The highest step number the output marks finished; 0 when none. */
    static int lastFinishedStep(String output) {
        int last = 0;
        if (output != null) {
            Matcher m = FINISHED_STEP.matcher(output);
            while (m.find()) {
                last = Math.max(last, Integer.parseInt(m.group(1)));
            }
        }
        return last;
    }

    /**
     * Opens the gate of a waiting upgrade.
     *
     * @throws UpgradeState.IllegalTransition when the job is not an upgrade waiting at its gate
     */
    public void approve(String jobId) {
        CompletableFuture<Void> gate = gates.get(jobId);
        if (gate == null) {
            throw new UpgradeState.IllegalTransition("job " + jobId + " is not an upgrade waiting for approval");
        }
        gate.complete(null);
    }

    private List<UpgradeStep> plan(JobRequest request) {
        List<String> nodes = HostPattern.resolve(request.pattern(), inventory);
        List<String> controlPlaneGroup = inventory.groups().getOrDefault(config.controlPlaneGroup(), List.of());
        List<String> controlPlane = new ArrayList<>();
        List<String> workers = new ArrayList<>();
        for (String node : nodes) {
            (controlPlaneGroup.contains(node) ? controlPlane : workers).add(node);
        }
        try {
            return UpgradePlanner.plan(UpgradePlanner.Version.parse(request.command()), controlPlane, workers);
        } catch (IllegalArgumentException e) {
            throw new K8sException(ErrorKind.INVALID, e.getMessage() + " (control-plane group '"
                    + config.controlPlaneGroup() + "')", e);
        }
    }

    private void drive(JobRequest request, UpgradeState initial, LocalProgress progress, boolean fresh) {
        String jobId = progress.jobId();
        MDC.put("jobId", jobId);
        long started = System.nanoTime();
        try {
            UpgradeState state = initial;
            int total = state.plan().size();
            if (fresh) {
                progress.started();
                StringBuilder plan = new StringBuilder("kubeadm upgrade to v" + request.command() + ", " + total
                        + " steps:\n");
                state.plan().forEach(s -> plan.append("  ").append(s.number()).append(". ").append(s.title())
                        .append('\n'));
                progress.output("stdout", plan.toString());
            }
            while (!state.phase().terminal()) {
                if (driving.released(jobId)) {
                    return;
                }
                UpgradeStep step = state.current().orElseThrow();
                progress.output("stdout", "==> step " + step.number() + "/" + total + ": " + step.title() + "\n");
                if (step.kind() == UpgradeStep.Kind.GATE) {
                    progress.output("stdout", "waiting for approval: goldentooth job approve " + jobId + "\n");
                    awaitApproval(jobId);
                    progress.output("stdout", "[step " + step.number() + "/" + total + " approved]\n");
                    state = state.on(new UpgradeState.Approved());
                    continue;
                }
                String failure = run(jobId, step, progress);
                if (driving.released(jobId)) {
                    return;
                }
                if (failure == null) {
                    progress.output("stdout", "[step " + step.number() + "/" + total + " done]\n");
                    state = state.on(new UpgradeState.StepSucceeded(step.number()));
                } else {
                    state = state.on(new UpgradeState.StepFailed(step.number(), failure));
                }
            }
            boolean ok = state.phase() == UpgradeState.Phase.SUCCEEDED;
            progress.output(ok ? "stdout" : "stderr", ok ? "upgrade to v" + request.command() + " complete\n"
                    : "upgrade stopped: " + state.failure() + "\n");
            LOG.infof("job %s: upgrade %s", jobId, ok ? "succeeded" : "failed: " + state.failure());
            progress.finished(ok ? 0 : 1, (System.nanoTime() - started) / 1_000_000, false, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (driving.released(jobId)) {
                LOG.infof("job %s: upgrade driver stopped here, the job was given away (%s)", jobId, e.getMessage());
                return;
            }
            LOG.errorf(e, "job %s: the upgrade runner failed", jobId);
            progress.output("stderr", "upgrade runner failed: " + e + "\n");
            progress.finished(1, (System.nanoTime() - started) / 1_000_000, false, false);
        } finally {
            gates.remove(jobId);
            MDC.remove("jobId");
        }
    }

    private void awaitApproval(String jobId) throws InterruptedException {
        CompletableFuture<Void> gate = gates.computeIfAbsent(jobId, id -> new CompletableFuture<>());
        try {
            gate.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the gate cannot fail", e);
        } finally {
            gates.remove(jobId);
        }
    }

    /** Runs one step; returns null on success, else why it failed. */
    private String run(String jobId, UpgradeStep step, LocalProgress progress) throws InterruptedException {
        try {
            switch (step.kind()) {
                case COMMAND -> {
                    return runCommand(jobId, step, progress);
                }
                case DRAIN -> {
                    DrainResult result = kube.drain(step.nodes().get(0), config.drainTimeout());
                    progress.output("stdout", "    evicted: " + result.evicted() + "; left alone: " + result.skipped()
                            + "\n");
                    return result.complete() ? null : "pods left on " + result.node() + ": " + result.remaining();
                }
                case UNCORDON -> {
                    kube.cordon(step.nodes().get(0), false);
                    return null;
                }
                default -> throw new IllegalStateException("a gate is not run: " + step);
            }
        } catch (K8sException e) {
            return e.getMessage();
        }
    }

    private String runCommand(String jobId, UpgradeStep step, LocalProgress progress) throws InterruptedException {
        JobRequest child = new JobRequest(jobId + "/step/" + step.number(), JobKind.COMMAND_ROOT,
                String.join(",", step.nodes()), step.command(), null, (int) config.upgradeStepTimeout().toSeconds(),
                null, false, "k8s_upgrade " + jobId);
        JobDesk desk = jobs.get();
        String childId = desk.submit(child).status().jobId();
        progress.output("stdout", "    job " + childId + " on " + String.join(",", step.nodes()) + "\n");
        JobStatus done = desk.status(childId).orElseThrow();
        while (!done.state().terminal()) {
            Thread.sleep(250);
            done = desk.status(childId).orElseThrow();
        }
        List<String> bad = new ArrayList<>();
        for (TargetStatus t : done.targets().values()) {
            if (t.state() != net.goldentooth.events.job.TargetState.SUCCEEDED) {
                bad.add(t.node() + " " + t.state().wire() + (t.reason() == null ? "" : " (" + t.reason() + ")"));
                String tail = tail(t.stderr() != null ? t.stderr() : t.stdout());
                if (!tail.isEmpty()) {
                    progress.output("stderr", "    " + t.node() + ": " + tail + "\n");
                }
            }
        }
        return done.state() == JobState.SUCCEEDED ? null : "job " + childId + ": " + String.join(", ", bad);
    }

    private static String tail(String text) {
        if (text == null) {
            return "";
        }
        String trimmed = text.strip();
        return trimmed.length() <= 2000 ? trimmed : "..." + trimmed.substring(trimmed.length() - 2000);
    }
}
