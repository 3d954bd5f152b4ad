package dev.eab.core.maci;

import dev.eab.api.MaciAction;
import dev.eab.api.MaciRole;
import dev.eab.api.MessageType;
import dev.eab.api.RejectReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every cell of the reference §2.4 tables, written out here by hand from the reference (not derived from the code
 * under test): role x action, validator x target, the hierarchy, the type mapping, and the ABI numbering.
 */
class MaciTablesTest
{
    /** §2.4, "permitted actions", as the reference lists them. */
    static final Map<MaciRole, Set<String>> PERMITTED = Map.of(
        MaciRole.EXECUTIVE, Set.of("propose", "synthesize", "query"),
        MaciRole.LEGISLATIVE, Set.of("extract_rules", "synthesize", "query"),
        MaciRole.JUDICIAL, Set.of("validate", "audit", "query", "emergency_cooldown"),
        MaciRole.MONITOR, Set.of("monitor_activity", "query"),
        MaciRole.AUDITOR, Set.of("audit", "query"),
        MaciRole.CONTROLLER, Set.of("enforce_control", "query"),
        MaciRole.IMPLEMENTER, Set.of("synthesize", "query"));

    /** §2.4, "validation constraints". */
    static final Map<MaciRole, Set<MaciRole>> VALIDATES = Map.of(
        MaciRole.JUDICIAL, Set.of(MaciRole.EXECUTIVE, MaciRole.LEGISLATIVE, MaciRole.IMPLEMENTER),
        MaciRole.AUDITOR, Set.of(MaciRole.MONITOR, MaciRole.CONTROLLER, MaciRole.IMPLEMENTER));

    static Stream<Arguments> roleActionCells()
    {
        final List<Arguments> out = new ArrayList<>();
        for (final MaciRole r : MaciRole.values())
        {
            for (final MaciAction a : MaciAction.values())
            {
                out.add(Arguments.of(r, a));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("roleActionCells")
    void everyRoleActionCell(final MaciRole role, final MaciAction action)
    {
        assertEquals(PERMITTED.get(role).contains(action.value()), MaciTables.permits(role, action));
    }

    static Stream<Arguments> validationCells()
    {
        final List<Arguments> out = new ArrayList<>();
        for (final MaciRole v : MaciRole.values())
        {
            for (final MaciRole t : MaciRole.values())
            {
                out.add(Arguments.of(v, t));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} validates {1}")
    @MethodSource("validationCells")
    void everyValidationConstraintCell(final MaciRole validator, final MaciRole target)
    {
        final boolean expected = VALIDATES.getOrDefault(validator, Set.of()).contains(target);
        assertEquals(expected, MaciTables.canValidate(validator, target));
        assertEquals(expected, MaciTables.reference(true).canValidateIds(validator.ordinal(), target.ordinal()));
    }

    @Test
    void nobodyManagesPolicyAndJudicialNeverValidatesJudicial()
    {
        assertEquals(List.of(), MaciTables.allowedRoles(MaciAction.MANAGE_POLICY));
        assertFalse(MaciTables.canValidate(MaciRole.JUDICIAL, MaciRole.JUDICIAL));
        assertFalse(MaciTables.canValidate(MaciRole.JUDICIAL, null), "a target without a role cannot be validated");
        assertEquals(List.of("judicial"), MaciTables.allowedRoles(MaciAction.VALIDATE));
        assertEquals(List.of("executive", "legislative", "judicial", "monitor", "auditor", "controller", "implementer"),
            MaciTables.allowedRoles(MaciAction.QUERY));
    }

    @Test
    void hierarchy()
    {
        final List<MaciRole> byRank = List.of(MaciRole.JUDICIAL, MaciRole.AUDITOR, MaciRole.LEGISLATIVE, MaciRole.EXECUTIVE, MaciRole.CONTROLLER,
            MaciRole.MONITOR, MaciRole.IMPLEMENTER);
        final int[] ranks = {100, 90, 80, 70, 60, 50, 40};
        for (int i = 0; i < byRank.size(); i++)
        {
            assertEquals(ranks[i], MaciTables.ROLE_HIERARCHY.get(byRank.get(i)));
            for (int j = 0; j < byRank.size(); j++)
            {
                assertEquals(i <= j, MaciTables.hasSufficientPrivilege(byRank.get(i), byRank.get(j)), byRank.get(i) + " vs " + byRank.get(j));
            }
        }
    }

    @Test
    void originalTypeMapping()
    {
        final MaciTables t = MaciTables.reference(true);
        assertEquals(MaciAction.PROPOSE, t.actionOf(MessageType.GOVERNANCE_REQUEST));
        assertEquals(MaciAction.VALIDATE, t.actionOf(MessageType.CONSTITUTIONAL_VALIDATION));
        assertEquals(MaciAction.SYNTHESIZE, t.actionOf(MessageType.TASK_REQUEST));
        assertEquals(MaciAction.QUERY, t.actionOf(MessageType.QUERY));
        assertEquals(MaciAction.AUDIT, t.actionOf(MessageType.AUDIT_LOG));
        assertEquals(5, t.typeActions().size(), "every other type is unmapped");
        assertNull(t.actionOf(MessageType.COMMAND));
        assertEquals(-1, t.actionId(-1));
        assertEquals(-1, t.actionId(16));
    }

    @Test
    void abiNumbering()
    {
        assertEquals(MaciConfigDescriptor.MACI_ROLE_COUNT, MaciRole.values().length);
        assertEquals(MaciConfigDescriptor.MACI_ACTION_COUNT, MaciAction.values().length);
        assertEquals(MaciConfigDescriptor.MACI_ACTION_VALIDATE, MaciAction.VALIDATE.ordinal());
        assertEquals(RejectReason.MACI_FIRST_CODE, RejectReason.MACI_ROLE_NOT_ASSIGNED.code());
        assertEquals(RejectReason.MACI_LAST_CODE, RejectReason.MACI_TARGET_NOT_FOUND.code());
        for (final RejectReason r : RejectReason.values())
        {
            assertEquals(r.name().startsWith("MACI_"), r.isMaci(), r.name());
            assertEquals(r.isMaci() || r.code() <= RejectReason.MAX_NATIVE_CODE, RejectReason.isValidatorCode(r.code()), r.name());
        }
    }
}
