package net.goldentooth.pki.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.goldentooth.pki.policy.NodeIdentity;
import org.junit.jupiter.api.Test;

class AnsibleInventoryTest {

    @Test
    void readsAddressesAndAccumulatesGrantsFromHostAndEveryEnclosingGroup() {
        AnsibleInventory inventory = AnsibleInventory.parse("""
                all:
                  vars:
                    ansible_user: root
                  children:
                    raspberry_pi:
                      hosts:
                        bettley: {ansible_host: 10.4.0.11}
                        fenn: {ansible_host: 10.4.0.15, pki_names: [fenn.lab]}
                    services:
                      vars:
                        pki_names: [consul.service.consul]
                      children:
                        vault:
                          vars:
                            pki_names: [vault.service.consul]
                          hosts:
                            bettley:
                """);
        assertEquals(new NodeIdentity("bettley", "10.4.0.11", List.of("consul.service.consul", "vault.service.consul")),
                inventory.node("bettley").orElseThrow());
        assertEquals(new NodeIdentity("fenn", "10.4.0.15", List.of("fenn.lab")), inventory.node("fenn").orElseThrow());
        assertTrue(inventory.node("nobody").isEmpty());
    }

    @Test
    void malformedStructureIsAnErrorNamingWhere() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AnsibleInventory.parse("""
                all:
                  hosts:
                    bettley: {pki_names: vault.service.consul}
                """));
        assertTrue(e.getMessage().contains("pki_names of host 'bettley'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AnsibleInventory.parse("all: [1, 2"));
    }
}
