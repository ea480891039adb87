package net.goldentooth.provisioner.ansible;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.Task;
import net.goldentooth.events.job.TargetStatus;
import net.goldentooth.provisioner.config.ProvisionerConfig;
import net.goldentooth.provisioner.jobs.LocalProgress;
import net.goldentooth.provisioner.jobs.LocalRunner;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Runs {@code ansible-playbook} on the provisioner host for {@code playbook} jobs. The command is
 * an argv list (no shell); stderr is merged into stdout so lines keep Ansible's order. The whole
 * output goes to {@code <log-dir>/<job id>.log}; the job history keeps what {@link OutputBudget}
 * lets through. The exit status is the job's; at the job's timeout the process tree is killed.
 */
@ApplicationScoped
public class PlaybookRunner implements LocalRunner {

    private static final Logger LOG = Logger.getLogger(PlaybookRunner.class);
    /** Exit code reported when the playbook could not be started at all (as a shell reports a missing command). */
    static final int NOT_STARTED = 127;
    /** Exit code reported for a request that names no valid playbook (a usage error). */
    static final int BAD_REQUEST = 2;

    @Inject
    PlaybookConfig config;
    @Inject
    ProvisionerConfig provisioner;
    @Inject
    Clock clock;

    private final ExecutorService runs = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "playbook-run");
        t.setDaemon(true);
        return t;
    });
    private final net.goldentooth.provisioner.jobs.RunningJobs driving = new net.goldentooth.provisioner.jobs.RunningJobs();

    public PlaybookCatalogue catalogue() {
        return new PlaybookCatalogue(config.dir());
    }

    @Override
    public JobKind kind() {
        return JobKind.PLAYBOOK;
    }

    /** The playbook exists and the extra variables are well formed. */
    @Override
    public void validate(JobRequest request) {
        catalogue().resolve(PlaybookInvocation.fromRequest(request).playbook());
    }

    @Override
    public void start(Task task, JobRequest request, Consumer<JobProgress> sink) {
        LocalProgress progress = new LocalProgress(task.jobId(), task.taskId(), task.node(), 0, clock, sink);
        progress.accepted();
        driving.reclaim(task.jobId());
        runs.execute(() -> driving.drive(task.jobId(), () -> {
            MDC.put("jobId", task.jobId());
            try {
                run(task, request, progress);
            } finally {
                MDC.remove("jobId");
            }
        }));
    }

    /**
     * The job's partition moved to another instance: the ansible-playbook process tree is killed
     * and nothing more is reported; the new owner reports the run's outcome as unknown, as after a
     * restart (a playbook is not run twice at once, nor started again by itself).
     */
    @Override
    public void release(String jobId) {
        if (!driving.release(jobId, java.time.Duration.ofSeconds(5))) {
            LOG.warnf("job %s: the playbook run did not stop within 5 s of being given away", jobId);
        }
    }

    /**
     * The ansible-playbook process does not outlive the JVM's view of it, so a run cut off by a
     * restart has no known outcome: it is finished as failed, saying so, and is not run again
     * (a playbook half applied twice is the operator's call, not the provisioner's).
     */
    @Override
    public void resume(JobStatus status, Consumer<JobProgress> sink) {
        driving.reclaim(status.jobId());
        for (TargetStatus target : status.targets().values()) {
            if (target.state().terminal()) {
                continue;
            }
            long next = target.lastSeq() == null ? 0 : target.lastSeq() + 1;
            LocalProgress progress = new LocalProgress(status.jobId(), target.taskId(), target.node(), next, clock, sink);
            progress.output("stderr", "\n[goldentooth: the provisioner restarted while this playbook ran; "
                    + "its outcome is unknown — see " + logFile(status.jobId()) + " and run it again if needed]\n");
            progress.finished(null, 0, false, false);
        }
    }

    private void run(Task task, JobRequest request, LocalProgress progress) {
        long started = System.nanoTime();
        List<String> argv;
        try {
            PlaybookInvocation invocation = PlaybookInvocation.fromRequest(request);
            Path file = catalogue().resolve(invocation.playbook());
            argv = invocation.argv(config.ansiblePlaybook(), file, provisioner.inventory().toAbsolutePath());
        } catch (PlaybookException e) {
            progress.started();
            progress.output("stderr", e.getMessage() + "\n");
            progress.finished(BAD_REQUEST, elapsedMs(started), false, false);
            return;
        }
        LOG.infof("job %s: %s", task.jobId(), String.join(" ", argv));
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true)
                    .directory(catalogue().dir().toFile());
            // Plain text for the history and the log; unbuffered so output streams as it happens.
            builder.environment().put("ANSIBLE_NOCOLOR", "1");
            builder.environment().put("ANSIBLE_RETRY_FILES_ENABLED", "0");
            builder.environment().put("PYTHONUNBUFFERED", "1");
            process = builder.start();
        } catch (IOException e) {
            progress.started();
            progress.output("stderr", "cannot start " + config.ansiblePlaybook() + ": " + e.getMessage() + "\n");
            progress.finished(NOT_STARTED, elapsedMs(started), false, false);
            return;
        }
        progress.started();
        OutputBudget budget = new OutputBudget(task.spec().maxOutputBytes(), config.tailBytes());
        Path log = logFile(task.jobId());
        boolean timedOut = false;
        try (Writer full = openLog(log, progress)) {
            Thread reader = new Thread(() -> pump(process, budget, full, progress, () -> driving.released(task.jobId())),
                    "playbook-output");
            reader.setDaemon(true);
            reader.start();
            if (!process.waitFor(task.spec().timeoutMs(), TimeUnit.MILLISECONDS)) {
                timedOut = true;
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor();
            }
            reader.join();
            progress.output("stdout", budget.finish(full == null ? "(no log file)" : log.toString()));
            Integer exit = timedOut ? null : process.exitValue();
            LOG.infof("job %s: ansible-playbook %s", task.jobId(), timedOut ? "killed at the timeout" : "exited " + exit);
            progress.finished(exit, elapsedMs(started), budget.truncated(), timedOut);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        } catch (IOException e) {
            if (driving.released(task.jobId())) {
                return;
            }
            progress.output("stderr", "playbook log " + log + ": " + e.getMessage() + "\n");
            progress.finished(process.isAlive() ? null : process.exitValue(), elapsedMs(started), true, false);
        }
    }

    private static void pump(Process process, OutputBudget budget, Writer full, LocalProgress progress,
                             java.util.function.BooleanSupplier released) {
        char[] buffer = new char[8192];
        try (Reader out = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
            int n;
            while ((n = out.read(buffer)) >= 0) {
                String chunk = new String(buffer, 0, n);
                if (full != null) {
                    full.write(chunk);
                    full.flush();
                }
                if (!released.getAsBoolean()) {
                    progress.output("stdout", budget.accept(chunk));
                }
            }
        } catch (IOException e) {
            // The process was killed at its timeout and its pipe closed under us: the result says so.
            LOG.debugf("playbook output ended: %s", e.getMessage());
        }
    }

    /** A run without a log file still runs; the history then is the only record, and says so. */
    private Writer openLog(Path log, LocalProgress progress) {
        try {
            Files.createDirectories(log.getParent());
            return Files.newBufferedWriter(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            progress.output("stderr", "[goldentooth: cannot write the full log " + log + ": " + e.getMessage() + "]\n");
            return null;
        }
    }

    Path logFile(String jobId) {
        return config.logDir().toAbsolutePath().resolve(jobId + ".log");
    }

    private static long elapsedMs(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }
}
