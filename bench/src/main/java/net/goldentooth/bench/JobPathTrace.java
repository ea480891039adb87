package net.goldentooth.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.SignedTask;
import net.goldentooth.events.job.Task;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Where a job's time goes: reads {@code job.tasks}, {@code job.progress} and {@code job.status} beside
 * the runs and splits each job into stages by the records' timestamps (each set by its producer, all
 * processes on this machine's clock, millisecond resolution):
 *
 * <ol>
 *   <li>submit: REST request sent → first signed task on {@code job.tasks} (provisioner intake);</li>
 *   <li>dispatch: first → last task record of the job;</li>
 *   <li>accept: a task record → its agent's ACCEPTED (fetch, signature, ledger fsync);</li>
 *   <li>start: ACCEPTED → STARTED (pool hand-off, the started mark's fsync, process spawn);</li>
 *   <li>run: STARTED → FINISHED (the command and its output);</li>
 *   <li>fold: the job's last FINISHED → its terminal {@code job.status};</li>
 *   <li>deliver: terminal status record → the bench reading it on SSE.</li>
 * </ol>
 * Per-target stages give the median target of each job; the table gives the median job.
 */
final class JobPathTrace implements AutoCloseable {

    private static final String[] TOPICS = {Topics.JOB_TASKS, Topics.JOB_PROGRESS, Topics.JOB_STATUS};

    /** What the topics said about one job, by record timestamp (epoch ms). */
    private static final class Job {
        long submitted;
        long sseReceived;
        long firstTask = Long.MAX_VALUE;
        long lastTask;
        long terminal;
        final Map<String, Long> taskSent = new HashMap<>();
        final Map<String, long[]> progress = new HashMap<>();
    }

    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread reader;

    JobPathTrace(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : TOPICS) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        reader = new Thread(this::read, "job-path-trace");
        reader.setDaemon(true);
        reader.start();
    }

    /** The bench's own clock readings for a job: request sent, terminal status read on SSE. */
    void client(String jobId, long submittedMillis, long sseReceivedMillis) {
        Job job = jobs.computeIfAbsent(jobId, id -> new Job());
        synchronized (job) {
            job.submitted = submittedMillis;
            job.sseReceived = sseReceivedMillis;
        }
    }

    private void read() {
        while (running.get()) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                try {
                    fold(record);
                } catch (RuntimeException e) {
                    // Another writer's record (a DLQ twin, a foreign type): not part of the trace.
                }
            }
        }
        consumer.close();
    }

    private void fold(ConsumerRecord<String, byte[]> record) {
        long at = record.timestamp();
        switch (record.topic()) {
            case Topics.JOB_TASKS -> {
                Task task = EventCodec.taskOf(EventCodec.decode(record.value(), SignedTask.class));
                Job job = jobs.computeIfAbsent(task.jobId(), id -> new Job());
                synchronized (job) {
                    job.firstTask = Math.min(job.firstTask, at);
                    job.lastTask = Math.max(job.lastTask, at);
                    job.taskSent.put(task.taskId(), at);
                }
            }
            case Topics.JOB_PROGRESS -> {
                JobProgress progress = EventCodec.decode(record.value(), JobProgress.class);
                int stage = switch (progress.kind()) {
                    case ACCEPTED -> 0;
                    case STARTED -> 1;
                    case FINISHED -> 2;
                    default -> -1;
                };
                if (stage >= 0) {
                    Job job = jobs.computeIfAbsent(progress.jobId(), id -> new Job());
                    synchronized (job) {
                        job.progress.computeIfAbsent(progress.taskId(), id -> new long[3])[stage] = at;
                    }
                }
            }
            default -> {
                JobStatus status = EventCodec.decode(record.value(), JobStatus.class);
                if (status.state().terminal()) {
                    Job job = jobs.computeIfAbsent(status.jobId(), id -> new Job());
                    synchronized (job) {
                        job.terminal = job.terminal == 0 ? at : Math.min(job.terminal, at);
                    }
                }
            }
        }
    }

    /** Prints the median job's stages, waiting briefly for the reader to catch up with the last job. */
    void print() throws InterruptedException {
        Thread.sleep(1_000);
        List<long[]> rows = new ArrayList<>();
        for (Job job : jobs.values()) {
            synchronized (job) {
                if (job.submitted == 0 || job.terminal == 0 || job.taskSent.isEmpty()) {
                    continue;
                }
                List<Long> accept = new ArrayList<>();
                List<Long> start = new ArrayList<>();
                List<Long> run = new ArrayList<>();
                long lastFinished = 0;
                for (Map.Entry<String, Long> sent : job.taskSent.entrySet()) {
                    long[] p = job.progress.get(sent.getKey());
                    if (p == null || p[0] == 0 || p[1] == 0 || p[2] == 0) {
                        continue;
                    }
                    accept.add(p[0] - sent.getValue());
                    start.add(p[1] - p[0]);
                    run.add(p[2] - p[1]);
                    lastFinished = Math.max(lastFinished, p[2]);
                }
                if (accept.isEmpty()) {
                    continue;
                }
                rows.add(new long[] {job.firstTask - job.submitted, job.lastTask - job.firstTask, median(accept),
                        max(accept), median(start), max(start), median(run), max(run),
                        job.terminal - lastFinished, job.sseReceived - job.terminal, job.sseReceived - job.submitted});
            }
        }
        if (rows.isEmpty()) {
            System.out.println("trace: no complete job was seen on the topics");
            return;
        }
        String[] names = {"submit -> first task record", "first -> last task record",
                "task record -> ACCEPTED (median target)", "task record -> ACCEPTED (slowest target)",
                "ACCEPTED -> STARTED (median target)", "ACCEPTED -> STARTED (slowest target)",
                "STARTED -> FINISHED (median target)", "STARTED -> FINISHED (slowest target)",
                "last FINISHED -> terminal job.status", "terminal job.status -> read on SSE", "total"};
        System.out.printf(Locale.ROOT, "where the time goes, median over %d jobs (ms, record timestamps):%n", rows.size());
        for (int i = 0; i < names.length; i++) {
            List<Long> column = new ArrayList<>();
            for (long[] row : rows) {
                column.add(row[i]);
            }
            System.out.printf(Locale.ROOT, "  %-42s %6d%n", names[i], median(column));
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        reader.join(5_000);
    }
}
