package dev.eab.api.exception;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Modifier;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ExceptionHierarchyTest
{
    static Stream<Arguments> directParents()
    {
        return Stream.of(
            Arguments.of(AgentBusException.class, RuntimeException.class),
            Arguments.of(ConstitutionalException.class, AgentBusException.class),
            Arguments.of(ConstitutionalHashMismatchException.class, ConstitutionalException.class),
            Arguments.of(ConstitutionalValidationException.class, ConstitutionalException.class),
            Arguments.of(MessageException.class, AgentBusException.class),
            Arguments.of(MessageValidationException.class, MessageException.class),
            Arguments.of(MessageDeliveryException.class, MessageException.class),
            Arguments.of(MessageTimeoutException.class, MessageException.class),
            Arguments.of(MessageRoutingException.class, MessageException.class),
            Arguments.of(RateLimitExceededException.class, MessageException.class),
            Arguments.of(AgentException.class, AgentBusException.class),
            Arguments.of(AgentNotRegisteredException.class, AgentException.class),
            Arguments.of(AgentAlreadyRegisteredException.class, AgentException.class),
            Arguments.of(AgentCapabilityException.class, AgentException.class),
            Arguments.of(PolicyException.class, AgentBusException.class),
            Arguments.of(PolicyEvaluationException.class, PolicyException.class),
            Arguments.of(PolicyNotFoundException.class, PolicyException.class),
            Arguments.of(OpaConnectionException.class, PolicyException.class),
            Arguments.of(OpaNotInitializedException.class, PolicyException.class),
            Arguments.of(GovernanceException.class, AgentBusException.class),
            Arguments.of(ImpactAssessmentException.class, GovernanceException.class),
            Arguments.of(DeliberationException.class, AgentBusException.class),
            Arguments.of(DeliberationTimeoutException.class, DeliberationException.class),
            Arguments.of(DeliberationRejectedException.class, DeliberationException.class),
            Arguments.of(SignatureCollectionException.class, DeliberationException.class),
            Arguments.of(ReviewConsensusException.class, DeliberationException.class),
            Arguments.of(BusOperationException.class, AgentBusException.class),
            Arguments.of(BusNotStartedException.class, BusOperationException.class),
            Arguments.of(BusAlreadyStartedException.class, BusOperationException.class),
            Arguments.of(HandlerExecutionException.class, BusOperationException.class),
            Arguments.of(BackpressureException.class, BusOperationException.class),
            Arguments.of(ConfigurationException.class, AgentBusException.class),
            Arguments.of(MaciException.class, AgentBusException.class),
            Arguments.of(MaciRoleViolationException.class, MaciException.class),
            Arguments.of(MaciSelfValidationException.class, MaciException.class),
            Arguments.of(MaciCrossRoleValidationException.class, MaciException.class),
            Arguments.of(MaciRoleNotAssignedException.class, MaciException.class),
            Arguments.of(AlignmentViolationException.class, AgentBusException.class),
            Arguments.of(WorkflowException.class, AgentBusException.class),
            Arguments.of(WorkflowDefinitionException.class, WorkflowException.class));
    }

    @ParameterizedTest
    @MethodSource("directParents")
    void directParentAndPublic(final Class<?> type, final Class<?> parent)
    {
        assertEquals(parent, type.getSuperclass());
        assertTrue(Modifier.isPublic(type.getModifiers()), type + " is public");
        assertTrue(RuntimeException.class.isAssignableFrom(type), type + " is unchecked");
    }

    @ParameterizedTest
    @MethodSource("directParents")
    void allDeclaredFieldsAreFinal(final Class<?> type, final Class<?> parent)
    {
        for (final var field : type.getDeclaredFields())
        {
            assertTrue(Modifier.isFinal(field.getModifiers()), type.getSimpleName() + "." + field.getName());
        }
    }

    @Test
    void instancesCatchableThroughTheChain()
    {
        final Object e = new MaciSelfValidationException("a", "validate", "o");
        assertInstanceOf(MaciException.class, e);
        assertInstanceOf(AgentBusException.class, e);
        assertInstanceOf(RuntimeException.class, e);

        final List<AgentBusException> all = List.of(
            new ConstitutionalHashMismatchException("a", "b"),
            new RateLimitExceededException("a", 1, 1),
            new ImpactAssessmentException("t", "r"),
            new BackpressureException("inbox", 8, "REJECT"));
        assertInstanceOf(ConstitutionalException.class, all.get(0));
        assertInstanceOf(MessageException.class, all.get(1));
        assertInstanceOf(GovernanceException.class, all.get(2));
        assertInstanceOf(BusOperationException.class, all.get(3));
    }
}
