package dev.eab.api.exception;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkflowExceptionTest
{
    @Test
    void definitionErrorNamesWorkflowReasonAndNodes()
    {
        final WorkflowDefinitionException e = new WorkflowDefinitionException("etl", "dependency cycle", List.of("a", "b", "a"));
        assertEquals("Invalid workflow 'etl': dependency cycle", e.getMessage());
        assertEquals(List.of("a", "b", "a"), e.nodes());
        assertEquals(List.of("a", "b", "a"), e.details().get("nodes"));
        assertEquals("etl", e.details().get("workflow"));
        assertEquals("WorkflowDefinitionException", e.toMap().get("error_type"));
    }

    @Test
    void workflowErrorCarriesDetailsInOrder()
    {
        final WorkflowException e = WorkflowException.of("Unknown saga 's-1'", "saga_id", "s-1", "journal", null);
        assertEquals(List.of("saga_id", "journal"), List.copyOf(e.details().keySet()));
        assertEquals("s-1", e.details().get("saga_id"));
    }
}
