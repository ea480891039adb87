package net.goldentooth.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.goldentooth.events.EventCodec;
import org.junit.jupiter.api.Test;

class K8sNodesTableTest {

    @Test
    void showsReadinessSchedulingTaintsAndOnlyUnhealthyConditions() throws Exception {
        JsonNode nodes = EventCodec.mapper().readTree("""
                [{"node":"bettley","ready":true,"unschedulable":false,"kubeletVersion":"v1.32.3",
                  "conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"True"}],"taints":[]},
                 {"node":"velaryon","ready":false,"unschedulable":true,
                  "conditions":[{"type":"DiskPressure","status":"True","reason":"KubeletHasDiskPressure"},
                                {"type":"Ready","status":"Unknown","reason":"NodeStatusUnknown"}],
                  "taints":[{"key":"gpu","value":"true","effect":"NoSchedule"},{"key":"x","effect":"NoExecute"}]}]
                """);
        List<JsonNode> rows = new ArrayList<>();
        nodes.forEach(rows::add);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        K8sNodesTable.print(rows, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals("""
                NODE      READY  SCHEDULING   KUBELET  TAINTS                           PROBLEMS
                bettley   yes    schedulable  v1.32.3  -                                -
                velaryon  NO     cordoned     -        gpu=true:NoSchedule,x:NoExecute  DiskPressure=True (KubeletHasDiskPressure), Ready=Unknown (NodeStatusUnknown)
                """, bytes.toString(StandardCharsets.UTF_8));
    }
}
