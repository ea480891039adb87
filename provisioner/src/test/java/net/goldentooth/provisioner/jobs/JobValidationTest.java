package net.goldentooth.provisioner.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.provisioner.inventory.HostPattern;
import net.goldentooth.provisioner.inventory.Inventory;
import net.goldentooth.provisioner.inventory.InventoryParser;
import net.goldentooth.provisioner.inventory.PatternException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobValidationTest {

    static final EngineSettings SETTINGS = new EngineSettings(Duration.ofSeconds(60), Duration.ofSeconds(10),
            Duration.ofSeconds(5), 1024, Duration.ofMillis(100));
    private final Inventory inv = InventoryParser.parse("all:\n  children:\n    pis:\n      hosts:\n        a:\n        b:\n",
            "t.yaml");

    private JobPlan validate(JobRequest request) {
        return JobValidation.validate(request, SETTINGS, p -> HostPattern.resolve(p, inv));
    }

    private static JobRequest request(JobKind kind, String pattern, String command, Integer timeout, String concurrency) {
        return new JobRequest(null, kind, pattern, command, null, timeout, concurrency, false, "test");
    }

    @Test
    void aGoodRequestIsPlannedWithItsEffectiveTimeout() {
        JobPlan plan = validate(request(JobKind.COMMAND, " pis ", "uptime", null, "50%"));
        assertEquals(List.of("a", "b"), plan.targets());
        assertEquals(Duration.ofSeconds(60), plan.timeout());
        assertEquals(60, plan.request().timeoutSeconds());
        assertEquals("pis", plan.request().pattern());
        assertEquals(1, plan.concurrency().window(2));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "command|''|uptime|null|null|pattern is empty; use 'all' or a group or host name",
        "command|null|uptime|null|null|pattern is empty; use 'all' or a group or host name",
        "null|all|uptime|null|null|kind is required: one of command, command_root, playbook, k8s_upgrade, bootstrap",
        "command|all|' '|null|null|command is empty",
        "command|all|uptime|0|null|timeoutSeconds 0 is out of range 1..86400",
        "command|all|uptime|86401|null|timeoutSeconds 86401 is out of range 1..86400",
        "command|all|uptime|10|0|concurrency '0' is invalid; expected a number N > 0 or a percentage N% with 0 < N <= 100",
        "command|all|uptime|10|ten|concurrency 'ten' is invalid; expected a number N > 0 or a percentage N% with 0 < N <= 100",
        "command|all|uptime|10|101%|concurrency '101%' is invalid; expected a number N > 0 or a percentage N% with 0 < N <= 100",
    })
    void badRequestsAreRefusedWithAPreciseMessage(String kind, String pattern, String command, Integer timeout,
                                                  String concurrency, String message) {
        JobKind k = kind == null ? null : JobKind.fromWire(kind);
        JobRequestException e = assertThrows(JobRequestException.class,
                () -> validate(request(k, pattern, command, timeout, concurrency)));
        assertEquals(message, e.getMessage());
    }

    @Test
    void anUnknownGroupIsAPatternError() {
        PatternException e = assertThrows(PatternException.class,
                () -> validate(request(JobKind.COMMAND, "nope", "uptime", null, null)));
        assertEquals("unknown group or host 'nope'; groups: all, pis", e.getMessage());
    }

    @Test
    void jobsTheProvisionerRunsHaveItAsTheirOneTargetButTheirPatternIsStillChecked() {
        for (JobKind kind : List.of(JobKind.PLAYBOOK, JobKind.K8S_UPGRADE)) {
            JobPlan plan = validate(request(kind, "pis", "setup_x", null, null));
            assertEquals(List.of(JobValidation.PROVISIONER_TARGET), plan.targets(), kind.wire());
            assertEquals("pis", plan.request().pattern());
            assertThrows(PatternException.class, () -> validate(request(kind, "nope", "setup_x", null, null)));
        }
    }

    @Test
    void concurrencyWindows() {
        assertEquals(10, Concurrency.parse("10").window(100));
        assertEquals(3, Concurrency.parse("10").window(3));
        assertEquals(10, Concurrency.parse("10%").window(100));
        assertEquals(2, Concurrency.parse("10%").window(13));
        assertEquals(1, Concurrency.parse("1%").window(13));
        assertEquals(13, Concurrency.parse(null).window(13));
    }

    @Test
    void settingsOutOfRangeNameTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new EngineSettings(
                Duration.ofDays(2), Duration.ZERO, Duration.ofSeconds(5), 1024, Duration.ZERO));
        assertEquals("default-timeout must lie in 1s..86400s, was PT48H", e.getMessage());
        assertEquals("accept-deadline must be positive, was PT0S", assertThrows(IllegalArgumentException.class,
                () -> new EngineSettings(Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO, 1024, Duration.ZERO))
                .getMessage());
        assertEquals("max-output-bytes must be positive, was 0", assertThrows(IllegalArgumentException.class,
                () -> new EngineSettings(Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(1), 0,
                        Duration.ZERO)).getMessage());
    }
}
