package dev.eab.core.journal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a child JVM with this JVM's flags and classpath, for tools and tests that must really kill a
 * process ({@code ./eab crashtest}, the kill -9 tests). The flags Chronicle needs on JDK 25 live once in
 * {@code jvm.options}: when this JVM was given that argfile's path as the {@code eab.jvmOptions} property
 * (Surefire does), the child gets {@code @path}; otherwise (a JVM started by {@code ./eab} with
 * {@code @jvm.options}) the child gets the flags this JVM was started with, which the JVM has already
 * expanded from the argfile. Debug agents and heap sizes are not passed on.
 */
public final class JvmLauncher
{
    /** The property naming the {@code jvm.options} argfile. */
    public static final String JVM_OPTIONS_PROPERTY = "eab.jvmOptions";
    private static final String CHILD_HEAP = "-Xmx512m";

    private JvmLauncher()
    {
    }

    /** @return the command line that runs {@code main} with {@code args} in a child JVM. */
    public static List<String> command(final String main, final List<String> args)
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        final String argFile = System.getProperty(JVM_OPTIONS_PROPERTY);
        if (argFile != null && !argFile.isBlank())
        {
            cmd.add("@" + argFile);
        }
        else
        {
            for (final String flag : ManagementFactory.getRuntimeMXBean().getInputArguments())
            {
                if (!flag.startsWith("-Xmx") && !flag.startsWith("-Xms") && !flag.startsWith("-agentlib") && !flag.startsWith("-javaagent") &&
                    !flag.startsWith("-Xrunjdwp"))
                {
                    cmd.add(flag);
                }
            }
        }
        cmd.add(CHILD_HEAP);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main);
        cmd.addAll(args);
        return cmd;
    }

    /** Starts {@code main}; its stdout and stderr go to {@code output}. */
    public static Process start(final String main, final Path output, final List<String> args) throws IOException
    {
        return new ProcessBuilder(command(main, args)).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }
}
