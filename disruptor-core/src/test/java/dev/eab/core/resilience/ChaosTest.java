package dev.eab.core.resilience;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a JUnit 5 test under a chaos scenario on the test's bus (its first field of type
 * {@code EnhancedAgentBus}, set up in {@code @BeforeEach}): activated before the test body, ended and restored after
 * it whatever happened ({@link ChaosExtension}).
 *
 * <pre>{@code
 * @Test
 * @ChaosTest(type = ChaosType.ERROR, target = "validation", errorRate = 1.0)
 * void nothingIsDeliveredWhileValidationFails() { ... }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ChaosExtension.class)
public @interface ChaosTest
{
    ChaosType type();

    String target();

    /** The scenario's name (default: type_target). */
    String name() default "";

    long delayMs() default 0;

    double errorRate() default 0.0;

    double resourceLevel() default 0.0;

    double durationS() default 60.0;

    String[] blastRadius() default {};

    String[] otherSide() default {};
}
