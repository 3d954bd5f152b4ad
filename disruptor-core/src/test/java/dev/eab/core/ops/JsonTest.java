package dev.eab.core.ops;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class JsonTest
{
    @Test
    void writesNestedValuesInOrder()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("machine", Map.of("cores", 2));
        m.put("name", "a\"b\\c\n\u0001");
        m.put("n", 12L);
        m.put("d", 0.125);
        m.put("whole", 3.0);
        m.put("nan", Double.NaN);
        m.put("ok", true);
        m.put("none", null);
        m.put("list", List.of(1, "x"));
        m.put("empty", new ArrayList<>());
        final String json = Json.write(m);
        final String compact = json.replaceAll("\\s+", "");
        assertEquals("{\"machine\":{\"cores\":2},\"name\":\"a\\\"b\\\\c\\n\\u0001\",\"n\":12,\"d\":0.125,\"whole\":3,\"nan\":null,"
            + "\"ok\":true,\"none\":null,\"list\":[1,\"x\"],\"empty\":[]}", compact);
        assertTrue(json.startsWith("{\n  \"machine\": {\n    \"cores\": 2\n  },"), json);
    }

    @Test
    void roundsForReadability()
    {
        assertEquals(0.333, Json.round(1.0 / 3, 3));
        assertEquals(12.5, Json.round(12.45, 1));
        assertTrue(Double.isNaN(Json.round(Double.NaN, 2)));
    }

    @Test
    void noExponentNotation()
    {
        assertEquals("12345678.5\n", Json.write(12_345_678.5));
        assertEquals("0.000001\n", Json.write(0.000001));
    }

    @Test
    void compactIsOneLineWithTheSameContent()
    {
        final java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("demo", "ok");
        m.put("n", 3);
        m.put("x", 0.5);
        m.put("list", java.util.List.of("a\"b", 1));
        m.put("empty", java.util.Map.of());
        assertEquals("{\"demo\":\"ok\",\"n\":3,\"x\":0.5,\"list\":[\"a\\\"b\",1],\"empty\":{}}", Json.compact(m));
    }
}
