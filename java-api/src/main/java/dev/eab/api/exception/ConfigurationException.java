package dev.eab.api.exception;

/**
 * Thrown when a configuration value is missing or invalid (mirrors {@code ConfigurationError}).
 */
public class ConfigurationException extends AgentBusException
{
    private final String configKey;
    private final String reason;

    /**
     * @param configKey the offending key.
     * @param reason    what is wrong with it.
     */
    public ConfigurationException(final String configKey, final String reason)
    {
        this(configKey, reason, null);
    }

    /**
     * With the underlying failure (e.g. a parse error).
     *
     * @param configKey the offending key.
     * @param reason    what is wrong with it.
     * @param cause     the underlying failure, may be {@code null}.
     */
    public ConfigurationException(final String configKey, final String reason, final Throwable cause)
    {
        super(
            "Configuration error for '" + configKey + "': " + reason,
            detailsOf("config_key", configKey, "reason", reason),
            DEFAULT_CONSTITUTIONAL_HASH,
            cause);
        this.configKey = configKey;
        this.reason = reason;
    }

    /** @return the offending key. */
    public String configKey()
    {
        return configKey;
    }

    /** @return what is wrong with it. */
    public String reason()
    {
        return reason;
    }
}
