package dev.eab.core.resilience;

import dev.eab.core.EnhancedAgentBus;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.reflect.Field;
import java.util.Set;

/**
 * The {@link ChaosTest} extension: activates the scenario on the test instance's bus before the test body and always
 * ends it afterwards (a failing or throwing test included), then checks that nothing of it is left armed. It runs
 * after the class's own {@code @BeforeEach} (which builds the bus) and before its {@code @AfterEach} (which closes it).
 */
public final class ChaosExtension implements BeforeTestExecutionCallback, AfterTestExecutionCallback
{
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ChaosExtension.class);

    @Override
    public void beforeTestExecution(final ExtensionContext context) throws Exception
    {
        final ChaosTest spec = context.getRequiredTestMethod().getAnnotation(ChaosTest.class);
        final EnhancedAgentBus bus = busOf(context.getRequiredTestInstance());
        final ChaosScenario scenario = ChaosScenario.builder(spec.name().isEmpty() ? spec.type().name().toLowerCase() + "_" + spec.target() : spec.name(),
                spec.type(), spec.target())
            .delayMs(spec.delayMs()).errorRate(spec.errorRate()).resourceLevel(spec.resourceLevel()).durationS(spec.durationS())
            .blastRadius(Set.of(spec.blastRadius())).otherSide(Set.of(spec.otherSide())).build();
        bus.chaos().activate(scenario);
        context.getStore(NS).put("bus", bus);
        context.getStore(NS).put("name", scenario.name());
    }

    @Override
    public void afterTestExecution(final ExtensionContext context)
    {
        final EnhancedAgentBus bus = context.getStore(NS).remove("bus", EnhancedAgentBus.class);
        final String name = context.getStore(NS).remove("name", String.class);
        if (bus != null && name != null)
        {
            bus.chaos().deactivate(name);
            if (bus.chaos().isActive(name) || (bus.resilience().faults().armed(-1) && bus.chaos().active().isEmpty()))
            {
                throw new AssertionError("chaos scenario '" + name + "' left something armed");
            }
        }
    }

    private static EnhancedAgentBus busOf(final Object testInstance) throws IllegalAccessException
    {
        for (Class<?> c = testInstance.getClass(); c != null; c = c.getSuperclass())
        {
            for (final Field f : c.getDeclaredFields())
            {
                if (EnhancedAgentBus.class.isAssignableFrom(f.getType()))
                {
                    f.setAccessible(true);
                    final Object bus = f.get(testInstance);
                    if (bus != null)
                    {
                        return (EnhancedAgentBus)bus;
                    }
                }
            }
        }
        throw new IllegalStateException("@ChaosTest needs a non-null EnhancedAgentBus field on the test instance (build it in @BeforeEach)");
    }
}
