package dev.eab.core.cli;

import dev.eab.core.ops.OpsServer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServeOptionsTest
{
    @Test
    void parsesPortHostAndDemo()
    {
        final ServeMain.ServeOptions defaults = ServeMain.ServeOptions.parse(new String[0]);
        assertEquals("127.0.0.1", defaults.host());
        assertEquals(OpsServer.DEFAULT_PORT, defaults.port());
        assertFalse(defaults.demo());
        final ServeMain.ServeOptions demo = ServeMain.ServeOptions.parse(new String[] {"--demo", "--port", "0", "--host", "0.0.0.0"});
        assertTrue(demo.demo());
        assertEquals(0, demo.port());
        assertEquals("0.0.0.0", demo.host());
        assertThrows(IllegalArgumentException.class, () -> ServeMain.ServeOptions.parse(new String[] {"--port", "x"}));
        assertThrows(IllegalArgumentException.class, () -> ServeMain.ServeOptions.parse(new String[] {"--demo=yes"}));
    }
}
