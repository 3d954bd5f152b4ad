package dev.eab.core.maci;

import dev.eab.api.BusConfiguration;
import dev.eab.api.MaciAction;
import dev.eab.api.MaciRole;
import dev.eab.api.MessageType;
import dev.eab.api.exception.ConfigurationException;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The original's {@code MACIConfigLoader}: MACI settings from a map, a JSON or YAML file, or the environment,
 * applied to a {@link BusConfiguration.Builder} (the bus reads its MACI settings from the configuration only).
 *
 * <p>Map and file format (JSON is YAML, so one parser reads both):
 * <pre>
 * enabled: true                 # optional: ENABLE_MACI
 * strict_mode: true             # optional: MACI_STRICT_MODE
 * default_role: implementer     # optional: MACI_DEFAULT_ROLE
 * agents:                       # a list of {agent_id, role[, capabilities]} (the original's shape) ...
 *   - agent_id: judge-1
 *     role: judicial
 *     capabilities: [audit]     # accepted for the original's shape; capabilities are given at registration
 * message_types:                # optional: more type to action mappings (strict mode rejects unmapped types)
 *   command: enforce_control
 * </pre>
 * {@code agents} may also be a map of agent id to role. Unknown keys, roles, actions and types are
 * {@link ConfigurationException}s naming the key: a typo must not silently leave an agent without its role.
 * The environment is read by {@link BusConfiguration#fromEnvironment} ({@code ENABLE_MACI}, {@code MACI_STRICT_MODE},
 * {@code MACI_DEFAULT_ROLE}, {@code MACI_AGENT_<ID>=role}); {@link #fromEnvironment} applies just those.
 */
public final class MaciConfigLoader
{
    private static final Set<String> KEYS = Set.of("enabled", "strict_mode", "default_role", "agents", "message_types");

    private MaciConfigLoader()
    {
    }

    /**
     * Applies {@code config} to {@code builder}.
     *
     * @return the number of agent roles assigned (the original's {@code apply_maci_config} count).
     */
    public static int fromMap(final Map<?, ?> config, final BusConfiguration.Builder builder)
    {
        for (final Object k : config.keySet())
        {
            if (!KEYS.contains(String.valueOf(k)))
            {
                throw new ConfigurationException("maci." + k, "unknown key; expected one of " + new java.util.TreeSet<>(KEYS));
            }
        }
        if (config.containsKey("enabled"))
        {
            builder.enableMaci(bool("maci.enabled", config.get("enabled")));
        }
        if (config.containsKey("strict_mode"))
        {
            builder.maciStrictMode(bool("maci.strict_mode", config.get("strict_mode")));
        }
        if (config.get("default_role") != null)
        {
            builder.maciDefaultRole(role("maci.default_role", config.get("default_role")));
        }
        int agents = 0;
        final Object list = config.get("agents");
        if (list instanceof List<?> entries)
        {
            for (int i = 0; i < entries.size(); i++)
            {
                final String where = "maci.agents[" + i + "]";
                if (!(entries.get(i) instanceof Map<?, ?> entry))
                {
                    throw new ConfigurationException(where, "expected {agent_id, role}");
                }
                final Object id = entry.get("agent_id");
                if (!(id instanceof String agentId) || agentId.isBlank())
                {
                    throw new ConfigurationException(where + ".agent_id", "missing or blank");
                }
                builder.maciAgentRole(agentId, role(where + ".role", entry.get("role")));
                agents++;
            }
        }
        else if (list instanceof Map<?, ?> byId)
        {
            for (final Map.Entry<?, ?> e : byId.entrySet())
            {
                builder.maciAgentRole(String.valueOf(e.getKey()), role("maci.agents." + e.getKey(), e.getValue()));
                agents++;
            }
        }
        else if (list != null)
        {
            throw new ConfigurationException("maci.agents", "expected a list of {agent_id, role} or a map of agent id to role");
        }
        final Object types = config.get("message_types");
        if (types instanceof Map<?, ?> byType)
        {
            for (final Map.Entry<?, ?> e : byType.entrySet())
            {
                final String where = "maci.message_types." + e.getKey();
                final MessageType type;
                final MaciAction action;
                try
                {
                    type = MessageType.fromValue(String.valueOf(e.getKey()));
                    action = MaciAction.fromValue(String.valueOf(e.getValue()));
                }
                catch (final IllegalArgumentException x)
                {
                    throw new ConfigurationException(where, "unknown message type or action '" + e.getValue() + "'");
                }
                builder.maciTypeAction(type, action);
            }
        }
        else if (types != null)
        {
            throw new ConfigurationException("maci.message_types", "expected a map of message type to action");
        }
        return agents;
    }

    /** Reads a JSON or YAML file (the whole document, or its top-level {@code maci} section) into {@code builder}. */
    public static int fromFile(final Path file, final BusConfiguration.Builder builder)
    {
        final String text;
        try
        {
            text = Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            throw new ConfigurationException("maci_config_file", "cannot read " + file + ": " + e.getMessage());
        }
        final Object doc;
        try
        {
            doc = new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadFromString(text);
        }
        catch (final RuntimeException e)
        {
            throw new ConfigurationException("maci_config_file", file + " is not JSON or YAML: " + e.getMessage());
        }
        if (!(doc instanceof Map<?, ?> map))
        {
            throw new ConfigurationException("maci_config_file", file + " must hold a mapping");
        }
        final Object section = map.get("maci");
        return fromMap(section instanceof Map<?, ?> m && map.size() == 1 ? m : map, builder);
    }

    /** Applies the MACI variables of {@code environment} ({@code ENABLE_MACI}, {@code MACI_*}) to {@code builder}. */
    public static int fromEnvironment(final Map<String, String> environment, final BusConfiguration.Builder builder)
    {
        final Map<String, String> maci = new java.util.HashMap<>();
        environment.forEach((k, v) -> {
            if (k.startsWith("MACI_") || k.equals("ENABLE_MACI"))
            {
                maci.put(k, v);
            }
        });
        final BusConfiguration parsed = BusConfiguration.fromEnvironment(maci);
        if (maci.containsKey("ENABLE_MACI"))
        {
            builder.enableMaci(parsed.enableMaci());
        }
        if (maci.containsKey("MACI_STRICT_MODE"))
        {
            builder.maciStrictMode(parsed.maciStrictMode());
        }
        if (parsed.maciDefaultRole() != null)
        {
            builder.maciDefaultRole(parsed.maciDefaultRole());
        }
        parsed.maciAgentRoles().forEach(builder::maciAgentRole);
        return parsed.maciAgentRoles().size();
    }

    private static boolean bool(final String key, final Object v)
    {
        return v instanceof Boolean b ? b : BusConfiguration.parseBoolean(key, String.valueOf(v));
    }

    private static MaciRole role(final String key, final Object v)
    {
        try
        {
            return MaciRole.fromValue(String.valueOf(v));
        }
        catch (final IllegalArgumentException | NullPointerException e)
        {
            throw new ConfigurationException(key, "unknown MACI role '" + v + "'; expected one of executive, legislative, judicial, monitor, "
                + "auditor, controller, implementer");
        }
    }
}
