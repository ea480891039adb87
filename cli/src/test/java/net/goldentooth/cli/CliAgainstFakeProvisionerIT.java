package net.goldentooth.cli;

import static net.goldentooth.cli.Fixtures.job;
import static net.goldentooth.cli.Fixtures.succeeded;
import static net.goldentooth.cli.Fixtures.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.goldentooth.cli.Fixtures.Capture;
import net.goldentooth.cli.client.Endpoint;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.ProgressKind;
import net.goldentooth.events.job.TargetState;
import net.goldentooth.events.job.TargetStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the CLI against {@link FakeProvisioner}, a stand-in that speaks the provisioner's REST
 * contract: what the CLI sends, what it prints and how it exits.
 */
class CliAgainstFakeProvisionerIT {

    private static final Instant NOW = Instant.parse("2026-11-25T15:10:00Z");

    private FakeProvisioner fake;
    private Capture out;
    private Capture err;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeProvisioner();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private int run(String stdin, String... args) {
        return runWith(fake.url(), stdin, args);
    }

    private int runWith(String endpoint, String stdin, String... args) {
        out = new Capture();
        err = new Capture();
        CliContext context = new CliContext(out.stream, err.stream,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                Map.of(Endpoint.ENV, endpoint, "USER", "alice"), Clock.fixed(NOW, ZoneOffset.UTC));
        return Main.run(context, args);
    }

    private static String[] progress(String jobId, String node, long seq, String stream, String data) {
        return new String[] {"progress", EventCodec.encodeToString(new JobProgress(jobId, "task-" + node, node,
                ProgressKind.OUTPUT, seq, NOW, stream, data, null, null, null, null, null))};
    }

    private static String[] status(JobStatus status) {
        return new String[] {"status", EventCodec.encodeToString(status)};
    }

    /** Accepted with every target dispatched, one output chunk per target, then the final status. */
    private static FakeProvisioner.Job simple(String jobId, JobState state, TargetStatus... finals) {
        List<TargetStatus> dispatched = new ArrayList<>();
        List<String[]> events = new ArrayList<>();
        for (TargetStatus target : finals) {
            dispatched.add(target(target.node(), TargetState.DISPATCHED, null, null, null, null, null));
            if (target.stdout() != null) {
                events.add(progress(jobId, target.node(), 0, "stdout", target.stdout()));
            }
        }
        JobStatus last = job(jobId, state, finals);
        events.add(status(last));
        return new FakeProvisioner.Job(job(jobId, JobState.RUNNING, dispatched.toArray(TargetStatus[]::new)),
                events, last);
    }

    /**
     * uptime on three nodes: allyrion's output is already folded into the first snapshot
     * (lastSeq 0) and its chunk is sent again; bettley's line arrives in two chunks; dalt also
     * writes to stderr.
     */
    private static FakeProvisioner.Job uptime(String jobId) {
        JobStatus first = job(jobId, JobState.RUNNING,
                target("allyrion", TargetState.RUNNING, null, " 15:09:58 up 17 days\n", null, null, 0L),
                target("bettley", TargetState.ACCEPTED, null, null, null, null, null),
                target("dalt", TargetState.DISPATCHED, null, null, null, null, null));
        JobStatus last = job(jobId, JobState.SUCCEEDED,
                succeeded("allyrion", " 15:09:58 up 17 days\n", 0L),
                succeeded("bettley", " 15:09:59 up 3 days,  load average: 0.41\n", 1L),
                target("dalt", TargetState.SUCCEEDED, 0, " 15:10:00 up 17 days\n", "warning: clock skew\n", null, 1L));
        List<String[]> events = List.of(
                progress(jobId, "allyrion", 0, "stdout", " 15:09:58 up 17 days\n"),
                progress(jobId, "bettley", 0, "stdout", " 15:09:59 up 3 days"),
                progress(jobId, "bettley", 1, "stdout", ",  load average: 0.41\n"),
                progress(jobId, "dalt", 0, "stderr", "warning: clock skew\n"),
                progress(jobId, "dalt", 1, "stdout", " 15:10:00 up 17 days\n"),
                new String[] {"heartbeat", "{}"},
                status(last));
        return new FakeProvisioner.Job(first, events, last);
    }

    private static final String UPTIME_GROUPED = """
            allyrion | SUCCESS | rc=0 >>
             15:09:58 up 17 days
            bettley | SUCCESS | rc=0 >>
             15:09:59 up 3 days,  load average: 0.41
            dalt | SUCCESS | rc=0 >>
             15:10:00 up 17 days
            warning: clock skew
            """;

    @Test
    void commandPostsTheRequestFollowsTheStreamAndPrintsGroupedOutput() {
        fake.onSubmit = request -> uptime(fake.nextJobId());
        assertEquals(0, run("", "command", "all", "uptime"));
        assertEquals(UPTIME_GROUPED, out.text());
        assertEquals("", err.text());
        assertEquals(List.of(new JobRequest(null, JobKind.COMMAND, "all", "uptime", null, null, null, false, "alice")),
                fake.submitted());
        List<String> paths = fake.requests.stream().map(r -> r.method() + " " + r.pathAndQuery()).toList();
        assertEquals(List.of("POST /jobs", "GET /jobs/job-1/events"), paths);
    }

    @Test
    void runOptionsTravelInTheJobRequestAndRemoteOptionsStayInTheCommand() {
        fake.onSubmit = request -> uptime(fake.nextJobId());
        assertEquals(0, run("", "command_root", "--timeout", "30", "--concurrency", "25%", "--ssh",
                "--idempotency-key", "restart-1", "consul_server,!dalt", "systemctl", "restart", "node_exporter"));
        assertEquals(0, run("", "command", "all", "ls", "-la", "/tmp"));
        assertEquals(0, run("", "command", "all", "--", "grep", "--json", "--tag", "file"));
        assertEquals(List.of(
                new JobRequest("restart-1", JobKind.COMMAND_ROOT, "consul_server,!dalt",
                        "systemctl restart node_exporter", null, 30, "25%", true, "alice"),
                new JobRequest(null, JobKind.COMMAND, "all", "ls -la /tmp", null, null, null, false, "alice"),
                new JobRequest(null, JobKind.COMMAND, "all", "grep --json --tag file", null, null, null, false, "alice")),
                fake.submitted());
    }

    @Test
    void tagPrintsLinesAsTheyArriveOnceEachAndASummaryOnStderr() {
        fake.onSubmit = request -> uptime(fake.nextJobId());
        assertEquals(0, run("", "command", "--tag", "all", "uptime"));
        assertEquals("""
                allyrion:  15:09:58 up 17 days
                bettley:  15:09:59 up 3 days,  load average: 0.41
                dalt:  15:10:00 up 17 days
                """, out.text());
        assertEquals("dalt: warning: clock skew\njob job-1 succeeded: 3 succeeded in 2.3s\n", err.text());
    }

    @Test
    void jsonPrintsTheFinalStatusAsTheProvisionerSentIt() throws Exception {
        fake.onSubmit = request -> uptime(fake.nextJobId());
        assertEquals(0, run("", "command", "--json", "all", "uptime"));
        JsonNode json = EventCodec.mapper().readTree(out.text());
        assertEquals("job-1", json.path("jobId").asText());
        assertEquals("succeeded", json.path("state").asText());
        assertEquals(1, json.path("targets").path("bettley").path("lastSeq").asInt());
        assertEquals(" 15:09:59 up 3 days,  load average: 0.41\n",
                json.path("targets").path("bettley").path("stdout").asText());
    }

    @Test
    void aTenThousandTargetJobPrintsASummaryUnlessEachIsAskedFor() {
        TargetStatus[] finals = new TargetStatus[10_000];
        for (int i = 0; i < finals.length; i++) {
            String node = String.format("sim-%05d", i + 1);
            finals[i] = i == 42 ? target(node, TargetState.FAILED, 1, null, "no\n", null, 1L)
                    : succeeded(node, " 15:10:00 up " + i + " days\n", 1L);
        }
        fake.onSubmit = request -> simple(fake.nextJobId(), JobState.FAILED, finals);

        assertEquals(1, run("", "command", "all", "uptime"));
        List<String> lines = out.text().lines().toList();
        assertEquals(22, lines.size(), out.text());
        assertEquals("sim-00043 | FAILED | rc=1 >>", lines.get(1));
        assertEquals("[9,990 more targets in 9,990 more groups not shown; --each prints every target]",
                lines.get(21));
        assertEquals("job job-1 failed: 9999 succeeded, 1 failed (sim-00043) in 2.3s\n", err.text());

        assertEquals(1, run("", "command", "--each", "all", "uptime"));
        assertEquals(20_000, out.text().lines().count());

        assertEquals(2, run("", "command", "--each", "--json", "all", "uptime"));
        assertTrue(err.text().contains("--each cannot be combined with --json"), err.text());

        assertEquals(1, run("", "job", "job-1"));
        assertEquals(22, out.text().lines().count(), "job <id> summarises too");
        assertEquals(1, run("", "job", "--each", "job-1"));
        assertEquals(20_000, out.text().lines().count());
        assertEquals(2, run("", "job", "--each", "--json", "job-1"));
        assertTrue(err.text().contains("--each cannot be combined with --json"), err.text());
    }

    @Test
    void exitCodesFollowTheTargetsMostSeriousOutcome() {
        fake.onSubmit = request -> switch (request.command()) {
            case "ls /nope" -> simple(fake.nextJobId(), JobState.FAILED, succeeded("allyrion", "ok\n", 0L),
                    target("dalt", TargetState.FAILED, 2, null, "ls: cannot access '/nope'\n", null, 0L),
                    target("fenn", TargetState.UNREACHABLE, null, null, null, "no live agent", null));
            case "reboot" -> simple(fake.nextJobId(), JobState.FAILED, succeeded("allyrion", "ok\n", 0L),
                    target("fenn", TargetState.UNREACHABLE, null, null, null, "no live agent before the deadline", null),
                    target("gardener", TargetState.TIMED_OUT, null, null, null, "killed after 30s", null));
            case "whoami" -> simple(fake.nextJobId(), JobState.FAILED, succeeded("allyrion", "root\n", 0L),
                    target("jast", TargetState.REJECTED, null, null, null, "command_root is not allowed here", null),
                    target("fenn", TargetState.UNREACHABLE, null, null, null, null, null));
            default -> throw new IllegalArgumentException(request.command());
        };
        assertEquals(1, run("", "command", "all", "ls", "/nope"));
        assertTrue(out.text().contains("dalt | FAILED | rc=2 >>\nls: cannot access '/nope'\n"), out.text());
        assertTrue(out.text().contains("fenn | UNREACHABLE | no live agent\n"), out.text());
        assertEquals("job job-1 failed: 1 succeeded, 1 failed (dalt), 1 unreachable (fenn) in 2.3s\n", err.text());

        assertEquals(3, run("", "command", "all", "reboot"));
        assertTrue(out.text().contains("gardener | TIMED OUT | killed after 30s\n"), out.text());

        assertEquals(4, run("", "command_root", "all", "whoami"));
        assertTrue(out.text().contains("jast | REJECTED | command_root is not allowed here\n"), out.text());
    }

    @Test
    void aRefusedRequestIsAUsageErrorWithTheProvisionersMessageAndHints() {
        fake.onSubmit = request -> FakeProvisioner.Error.api(400, "pattern 'consul' matches no host",
                "known groups: all, consul_server, storage_nodes", "did you mean consul_server?");
        assertEquals(2, run("", "command", "consul", "uptime"));
        assertEquals("""
                goldentooth: the provisioner refused the request (HTTP 400): pattern 'consul' matches no host
                  hint: known groups: all, consul_server, storage_nodes
                  hint: did you mean consul_server?
                """, err.text());
        assertEquals("", out.text());
    }

    @Test
    void aProvisionerErrorIsExitFive() {
        fake.onSubmit = request -> FakeProvisioner.Error.api(503, "job.requested is not writable");
        assertEquals(5, run("", "command", "all", "uptime"));
        assertTrue(err.text().contains("failed (HTTP 503): job.requested is not writable"), err.text());
    }

    @Test
    void anUnreachableProvisionerIsExitFiveWithAClearMessage() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        assertEquals(5, runWith("http://127.0.0.1:" + closedPort, "", "command", "all", "uptime"));
        assertTrue(err.text().startsWith("goldentooth: cannot reach the provisioner at http://127.0.0.1:" + closedPort
                + ": connection refused"), err.text());
        assertTrue(err.text().contains("./goldentooth up"), err.text());
        assertEquals(5, runWith("http://127.0.0.1:" + closedPort, "", "status"));
    }

    @Test
    void aStreamThatEndsEarlyIsCompletedFromTheStoredJob() {
        fake.onSubmit = request -> {
            String id = fake.nextJobId();
            JobStatus last = job(id, JobState.SUCCEEDED, succeeded("dalt", "done\n", 0L));
            JobStatus stored = request.command().equals("still running") ? job(id, JobState.RUNNING,
                    target("dalt", TargetState.RUNNING, null, null, null, null, null)) : last;
            return new FakeProvisioner.Job(job(id, JobState.RUNNING,
                    target("dalt", TargetState.RUNNING, null, null, null, null, null)), List.of(), stored);
        };
        assertEquals(0, run("", "command", "dalt", "finished"));
        assertEquals("dalt | SUCCESS | rc=0 >>\ndone\n", out.text());

        assertEquals(5, run("", "command", "dalt", "still", "running"));
        assertTrue(err.text().contains("it keeps running: goldentooth job job-2"), err.text());
    }

    @Test
    void pipeRunsEachLineInOrderAndStopsAtTheFirstThatDoesNotSucceed() {
        fake.onSubmit = request -> request.command().startsWith("false")
                ? simple(fake.nextJobId(), JobState.FAILED, target("dalt", TargetState.FAILED, 1, null, null, null, null))
                : simple(fake.nextJobId(), JobState.SUCCEEDED, succeeded("dalt", request.command() + "\n", 0L));
        String stdin = "# maintenance\nuname -r\n\nfalse\nhostname\n";
        assertEquals(1, run(stdin, "pipe", "--idempotency-key", "m1", "dalt"));
        assertEquals(List.of("uname -r", "false"), fake.submitted().stream().map(JobRequest::command).toList());
        assertEquals(List.of("m1#1", "m1#2"), fake.submitted().stream().map(JobRequest::idempotencyKey).toList());
        assertTrue(err.text().contains("==> uname -r\n"), err.text());
        assertTrue(err.text().contains("pipe stopped after 'false' (exit 1); 1 command(s) not run"), err.text());
        assertEquals("dalt | SUCCESS | rc=0 >>\nuname -r\ndalt | FAILED | rc=1 >>\n", out.text());

        fake.requests.clear();
        assertEquals(1, run(stdin, "pipe", "--keep-going", "dalt"));
        assertEquals(List.of("uname -r", "false", "hostname"),
                fake.submitted().stream().map(JobRequest::command).toList());
    }

    @Test
    void batchAndHeredocSendTheScriptAsStandardInputOfBash(@TempDir Path dir) throws Exception {
        fake.onSubmit = request -> simple(fake.nextJobId(), JobState.SUCCEEDED, succeeded("jast", "ok\n", 0L));
        String script = "#!/bin/bash\nset -e\ndf -h /mnt/nfs\n";
        Path file = Files.writeString(dir.resolve("check.sh"), script);
        assertEquals(0, run("", "batch", "--timeout", "60", file.toString(), "storage_nodes"));
        assertEquals(0, run("zpool status\nzfs list\n", "heredoc", "storage_nodes"));
        List<JobRequest> submitted = fake.submitted();
        assertEquals(new JobRequest(null, JobKind.COMMAND, "storage_nodes", "bash -s", script, 60, null, false, "alice"),
                submitted.get(0));
        assertEquals(new JobRequest(null, JobKind.COMMAND, "storage_nodes", "bash -s", "zpool status\nzfs list\n",
                null, null, false, "alice"), submitted.get(1));
    }

    @Test
    void anIdempotencyKeySeenBeforeFollowsTheFirstJob() {
        fake.onSubmit = request -> uptime(fake.nextJobId());
        assertEquals(0, run("", "command", "--idempotency-key", "k", "all", "uptime"));
        assertEquals(0, run("", "command", "--idempotency-key", "k", "all", "uptime"));
        assertEquals(UPTIME_GROUPED, out.text());
        long streams = fake.requests.stream().filter(r -> r.pathAndQuery().equals("/jobs/job-1/events")).count();
        assertEquals(2, streams);
        assertEquals("job-2", fake.nextJobId(), "the second call created no job");
    }

    @Test
    void jobPrintsAStoredJobLikeAFinishedCommandWithItsExitCode() {
        fake.onSubmit = request -> simple(fake.nextJobId(), JobState.FAILED,
                target("dalt", TargetState.FAILED, 3, "partial\n", null, null, 0L));
        assertEquals(1, run("", "command", "dalt", "check"));
        assertEquals(1, run("", "job", "job-1"));
        assertEquals("dalt | FAILED | rc=3 >>\npartial\n", out.text());
        assertEquals(2, run("", "job", "job-9"));
        assertTrue(err.text().contains("(HTTP 404): no job 'job-9'"), err.text());
        assertTrue(err.text().contains("hint: goldentooth jobs lists them"), err.text());
    }

    @Test
    void listGroupsJobsAndStatusReadTheirEndpoints() {
        fake.inventoryJson = """
                {"hosts":{"bettley":{"name":"bettley","address":"10.4.0.11","groups":["all","consul_server"],"vars":{}},
                          "jast":{"name":"jast","address":"10.4.0.19","groups":["all"],"vars":{}}},
                 "groups":{"all":["jast","bettley"],"consul_server":["bettley"]}}""";
        assertEquals(0, run("", "list_groups"));
        assertEquals("all: bettley jast\nconsul_server: bettley\n", out.text());
        assertEquals(0, run("", "list_groups", "--names"));
        assertEquals("all\nconsul_server\nbettley\njast\n", out.text());

        fake.jobsPageJson = """
                {"jobs":[{"jobId":"job-7","kind":"command","pattern":"all","command":"uptime","state":"succeeded",
                "requestedBy":"alice","createdAt":"2026-11-25T15:09:00Z","updatedAt":"2026-11-25T15:09:02Z",
                "targets":13,"targetStates":{"succeeded":13}}],"offset":0,"limit":5,"total":1}""";
        assertEquals(0, run("", "jobs", "--state", "succeeded", "--node", "dalt", "--limit", "5"));
        assertEquals("""
                JOB    STATE      KIND     PATTERN  TARGETS   AGE  COMMAND
                job-7  succeeded  command  all      13/13 ok  60s  uptime
                """, out.text());
        assertEquals("jobs 1-1 of 1\n", err.text());
        assertEquals("GET /jobs?offset=0&limit=5&state=succeeded&node=dalt",
                fake.requests.get(fake.requests.size() - 1).method() + " "
                        + fake.requests.get(fake.requests.size() - 1).pathAndQuery());

        fake.nodesJson = """
                [{"node":"bettley","address":"10.4.0.11","groups":["all"],"inInventory":true,"live":true,
                  "lastSeen":"2026-11-25T15:09:55Z","facts":{"node":"bettley","collectedAt":"2026-11-25T15:09:55Z",
                  "sequence":3,"load":{"value":{"load1":0.5,"load5":0.4,"load15":0.3,"cpus":4},"stale":false},
                  "network":{"value":{"nics":[],"defaultRouteNic":"eth0"},"stale":false}}}]""";
        assertEquals(0, run("", "status"));
        assertEquals("""
                NODE     ADDRESS    LIVE  LAST SEEN  LOAD  MEM  TEMP  NIC   NOTE
                bettley  10.4.0.11  yes   5s         0.50  -    -     eth0
                """, out.text());
    }

    @Test
    void aBrokenAnswerIsExitFiveNotAStackTrace() {
        fake.nodesJson = "<html>gateway</html>";
        assertEquals(5, run("", "status"));
        assertTrue(err.text().contains("sent the answer this CLI cannot read"), err.text());
        assertFalse(err.text().contains("\tat "), err.text());
    }

    /** The packaged CLI as {@code ./goldentooth} starts it, stderr going to {@code stderr}. */
    private ProcessBuilder packagedCli(Path stderr, String... args) {
        Path jar = Path.of("target", "goldentooth-cli.jar");
        assertTrue(Files.isRegularFile(jar), "package builds " + jar.toAbsolutePath());
        assertTrue(Files.isDirectory(Path.of("target", "lib")), "package copies the dependencies to target/lib");
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(javaBin.toString(), "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xshare:auto", "-cp", jar + java.io.File.pathSeparator + "target/lib/*",
                "net.goldentooth.cli.Main", "--provisioner", fake.url()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove(Endpoint.ENV);
        builder.redirectError(stderr.toFile());
        return builder;
    }

    @Test
    void tagOutputIsLiveAndStoppingTheCliSaysTheJobKeepsRunning(@TempDir Path dir) throws Exception {
        String id = fake.nextJobId();
        fake.onSubmit = request -> new FakeProvisioner.Job(
                job(id, JobState.RUNNING, target("dalt", TargetState.RUNNING, null, null, null, null, null)),
                List.<String[]>of(progress(id, "dalt", 0, "stdout", "compiling 1/200\n")),
                job(id, JobState.RUNNING, target("dalt", TargetState.RUNNING, null, null, null, null, null)));
        fake.holdStreamsOpen = true;
        Path stderr = dir.resolve("stderr");
        Process process = packagedCli(stderr, "command", "--tag", "dalt", "make").start();
        java.util.concurrent.ExecutorService reader = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.io.BufferedReader lines = new java.io.BufferedReader(
                    new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            // The job has not finished (the stream is open), yet its first line is already printed.
            assertEquals("dalt: compiling 1/200", reader.submit(lines::readLine).get(60, TimeUnit.SECONDS));
            process.destroy();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the CLI did not stop");
            assertTrue(Files.readString(stderr).contains("stopped watching; job job-1 keeps running: "
                    + "goldentooth job job-1"), Files.readString(stderr));
        } finally {
            process.destroyForcibly();
            reader.shutdownNow();
        }
    }

    @Test
    void thePackagedJarRunsAsTheWrapperRunsIt(@TempDir Path dir) throws Exception {
        fake.onSubmit = request -> uptime(fake.nextJobId());
        Path stderr = dir.resolve("stderr");
        Process process = packagedCli(stderr, "command", "all", "uptime").start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the CLI did not exit");
        assertEquals(0, process.exitValue(), Files.readString(stderr));
        assertEquals(UPTIME_GROUPED, stdout);
        assertEquals("uptime", fake.submitted().get(0).command());
    }
}
