package net.goldentooth.provisioner.jobs;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The threads of a {@link LocalRunner}'s running jobs, so that a job whose partition moved to
 * another instance can be stopped here before the new owner resumes it: two drivers of one
 * upgrade, or of one playbook, must never run at once.
 */
public final class RunningJobs {

    private final Map<String, Thread> threads = new ConcurrentHashMap<>();
    private final Set<String> released = ConcurrentHashMap.newKeySet();

    /** Runs {@code work} on the calling thread as the job's driver. */
    public void drive(String jobId, Runnable work) {
        threads.put(jobId, Thread.currentThread());
        try {
            work.run();
        } finally {
            threads.remove(jobId, Thread.currentThread());
        }
    }

    /**
     * Interrupts the job's driver and waits up to {@code wait} for it to end; from now on
     * {@link #released} says so, and the driver must report nothing more.
     *
     * @return whether no driver of the job runs any more
     */
    public boolean release(String jobId, Duration wait) {
        released.add(jobId);
        Thread driver = threads.get(jobId);
        if (driver == null) {
            return true;
        }
        driver.interrupt();
        try {
            driver.join(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !driver.isAlive();
    }

    /** The job was given away: its driver stops without a final report (the new owner makes it). */
    public boolean released(String jobId) {
        return released.contains(jobId);
    }

    /** The job came back (its partition was given to this instance again): it may be driven here. */
    public void reclaim(String jobId) {
        released.remove(jobId);
    }
}
