package dev.eab.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The engine is a library: the application that links it picks the logging binding. Its own dependencies
 * (all on this module's test classpath) must carry none; the {@code ./eab} commands add slf4j-jdk14 from
 * {@code disruptor-core/target/cli-lib} themselves.
 */
final class NoLoggingBindingTest
{
    @Test
    void noSlf4jBindingAmongTheEnginesDependencies()
    {
        final ClassLoader loader = NoLoggingBindingTest.class.getClassLoader();
        // SLF4J 1.7 finds its binding through this class, SLF4J 2 through this service file.
        assertNull(loader.getResource("org/slf4j/impl/StaticLoggerBinder.class"));
        assertNull(loader.getResource("META-INF/services/org.slf4j.spi.SLF4JServiceProvider"));
    }
}
