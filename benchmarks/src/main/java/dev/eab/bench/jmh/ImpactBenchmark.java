package dev.eab.bench.jmh;

import dev.eab.api.KeywordMatching;
import dev.eab.api.MessageType;
import dev.eab.core.governance.JavaImpactScorer;
import dev.eab.core.governance.NativeImpactScorer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The impact scorer (reference §3.5) on a 256-byte content: Rust ({@code native*}: copy into the reusable off-heap
 * buffers + one {@code eab_impact_score} downcall) and the Java twin ({@code java*}), in substring mode (the default)
 * and word mode. {@code Benign256}: agent text without keywords; {@code Keywords256}: text with four keywords. The
 * agent handle rotates over 16 agents, so the volume window and drift history are updated as on the bus.
 * Target: ≤ 150 ns and 0 B/op ({@code gc.alloc.rate.norm}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ImpactBenchmark
{
    public static final double TARGET_NS = 150.0;
    private static final String BENIGN = "Please reconcile the Globex ledger against the November bank statement and flag any "
        + "difference above 50 EUR. MSFT closed at 412.35 (+1.2%), volume 21,334,120; VWAP 411.90. In "
        + "src/main/java/com/acme/orders/OrderService.java:118 the null check on order.getId() is missing. ";
    private static final String KEYWORDS = "The quarterly audit found one suspicious payment; the transfer was stopped pending review. "
        + "Nothing else changed in the books this week, and the team will report again on Friday as usual. ";
    private static final int TYPE = MessageType.TASK_REQUEST.ordinal();

    private final byte[] benign256 = exactly(BENIGN);
    private final byte[] keywords256 = exactly(KEYWORDS);
    private final byte[] tools = "read_file\nsend_mail".getBytes(StandardCharsets.US_ASCII);
    private NativeImpactScorer nativeSubstring;
    private NativeImpactScorer nativeWord;
    private JavaImpactScorer javaSubstring;
    private JavaImpactScorer javaWord;
    private int agent;
    private long now;
    /** {@code keywords256}'s keywords as the fused scan finds them (substring mode). */
    private int keywords256Mask;

    private static byte[] exactly(final String s)
    {
        return Arrays.copyOf(s.repeat(256 / s.length() + 2).getBytes(StandardCharsets.US_ASCII), 256);
    }

    @Setup(Level.Trial)
    public void setUp()
    {
        nativeSubstring = new NativeImpactScorer(16, KeywordMatching.SUBSTRING);
        nativeWord = new NativeImpactScorer(16, KeywordMatching.WORD);
        javaSubstring = new JavaImpactScorer(16, KeywordMatching.SUBSTRING);
        javaWord = new JavaImpactScorer(16, KeywordMatching.WORD);
        // Both twins must agree on what is measured.
        for (final byte[] t : new byte[][] {benign256, keywords256})
        {
            final double n = nativeSubstring.score(0, 0, t, t.length, tools, tools.length, 0, 1, TYPE);
            final double j = javaSubstring.score(0, 0, t, t.length, tools, tools.length, 0, 1, TYPE);
            if (n != j || nativeSubstring.factors()[0] != (t == benign256 ? 0.1 : 0.8))
            {
                throw new IllegalStateException("unexpected score " + n + " / " + j);
            }
        }
    }

    @Setup(Level.Trial)
    public void setUpMask()
    {
        keywords256Mask = dev.eab.core.governance.ImpactKeywords.find(keywords256, 0, keywords256.length, KeywordMatching.SUBSTRING);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        nativeSubstring.close();
        nativeWord.close();
    }

    private int nextAgent()
    {
        now += 3;
        return agent = (agent + 1) & 15;
    }

    @Benchmark
    public double nativeBenign256()
    {
        return nativeSubstring.score(nextAgent(), now, benign256, 256, tools, tools.length, 0, 1, TYPE);
    }

    @Benchmark
    public double nativeKeywords256()
    {
        return nativeSubstring.score(nextAgent(), now, keywords256, 256, tools, tools.length, 0, 1, TYPE);
    }

    @Benchmark
    public double nativeWordKeywords256()
    {
        return nativeWord.score(nextAgent(), now, keywords256, 256, tools, tools.length, 0, 1, TYPE);
    }

    /** The scorer given the keyword mask from the guardrail scan's pass ({@code eab_impact_score_found}): no text copied or searched. */
    @Benchmark
    public double nativeFoundKeywords256()
    {
        return nativeSubstring.scoreFound(nextAgent(), now, keywords256Mask, tools, tools.length, 0, 1, TYPE);
    }

    @Benchmark
    public double javaBenign256()
    {
        return javaSubstring.score(nextAgent(), now, benign256, 256, tools, tools.length, 0, 1, TYPE);
    }

    @Benchmark
    public double javaKeywords256()
    {
        return javaSubstring.score(nextAgent(), now, keywords256, 256, tools, tools.length, 0, 1, TYPE);
    }

    @Benchmark
    public double javaWordKeywords256()
    {
        return javaWord.score(nextAgent(), now, keywords256, 256, tools, tools.length, 0, 1, TYPE);
    }
}
