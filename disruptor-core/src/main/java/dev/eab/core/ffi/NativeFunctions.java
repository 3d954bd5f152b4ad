package dev.eab.core.ffi;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The C functions we call and their descriptors, written by hand against {@code ffi-headers/eab_native.h}
 * (jextract is not available here). {@code FfiHeaderDriftTest} parses the header and fails when a
 * name, parameter or return type here disagrees with it.
 */
public final class NativeFunctions
{
    /** The ABI version this Java code was written against ({@code EAB_ABI_VERSION}). */
    public static final int ABI_VERSION = 1;

    public static final String ABI_VERSION_FN = "eab_abi_version";
    public static final String ENGINE_NEW_FN = "eab_engine_new";
    public static final String ENGINE_NEW_MACI_FN = "eab_engine_new_maci";
    public static final String ENGINE_FREE_FN = "eab_engine_free";
    public static final String VALIDATE_FN = "eab_validate";
    public static final String PANIC_PROBE_FN = "eab_panic_probe";
    public static final String GUARD_NEW_FN = "eab_guard_new";
    public static final String GUARD_FREE_FN = "eab_guard_free";
    public static final String GUARD_SCAN_FN = "eab_guard_scan";
    public static final String GUARD_NORMALIZE_FN = "eab_guard_normalize";
    public static final String IMPACT_NEW_FN = "eab_impact_new";
    public static final String IMPACT_FREE_FN = "eab_impact_free";
    public static final String IMPACT_SCORE_FN = "eab_impact_score";
    public static final String GUARD_NEW_KEYWORDS_FN = "eab_guard_new_keywords";
    public static final String GUARD_SCAN_KEYWORDS_FN = "eab_guard_scan_keywords";
    public static final String IMPACT_SCORE_FOUND_FN = "eab_impact_score_found";
    public static final String REGO_NEW_FN = "eab_rego_new";
    public static final String REGO_FREE_FN = "eab_rego_free";
    public static final String REGO_ADD_POLICY_FN = "eab_rego_add_policy";
    public static final String REGO_ADD_DATA_FN = "eab_rego_add_data";
    public static final String REGO_PREPARE_FN = "eab_rego_prepare";
    public static final String REGO_DECIDE_FN = "eab_rego_decide";
    public static final String REGO_EVAL_JSON_FN = "eab_rego_eval_json";
    public static final String REGO_INPUT_JSON_FN = "eab_rego_input_json";
    public static final String BLAKE3_FN = "eab_blake3";
    public static final String AUDIT_CHAIN_STEP_FN = "eab_audit_chain_step";
    public static final String AUDIT_CHAIN_KEYED_FN = "eab_audit_chain_keyed";
    public static final String AUDIT_CHAIN_BATCH_FN = "eab_audit_chain_batch";
    public static final String AUDIT_CHAIN_BATCH_V3_FN = "eab_audit_chain_batch_v3";
    public static final String AUDIT_CHAIN_V3_FN = "eab_audit_chain_v3";
    public static final String GUARD_SCRATCH_NEW_FN = "eab_guard_scratch_new";
    public static final String GUARD_SCRATCH_FREE_FN = "eab_guard_scratch_free";
    public static final String GUARD_SCAN_OWNED_FN = "eab_guard_scan_owned";

    /** {@code size_t} on the 64-bit platforms the FFM side supports. */
    public static final ValueLayout.OfLong SIZE_T = ValueLayout.JAVA_LONG;

    /** Every bound function, in header order. */
    public static final Map<String, FunctionDescriptor> DESCRIPTORS;

    static
    {
        final Map<String, FunctionDescriptor> m = new LinkedHashMap<>();
        m.put(ABI_VERSION_FN, FunctionDescriptor.of(ValueLayout.JAVA_INT));
        m.put(ENGINE_NEW_FN, FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        m.put(ENGINE_NEW_MACI_FN, FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        m.put(ENGINE_FREE_FN, FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        m.put(VALIDATE_FN, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        m.put(PANIC_PROBE_FN, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        // EabGuard *eab_guard_new(const uint8_t *config_json, size_t len)
        m.put(GUARD_NEW_FN, FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, SIZE_T));
        m.put(GUARD_FREE_FN, FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        // int32_t eab_guard_scan(const EabGuard *guard, const uint8_t *utf8, size_t len, uint64_t *matched_out)
        m.put(GUARD_SCAN_FN, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, SIZE_T, ValueLayout.ADDRESS));
        // int32_t eab_guard_normalize(const uint8_t *utf8, size_t len, uint8_t *out, size_t out_capacity, size_t *out_len)
        m.put(GUARD_NORMALIZE_FN, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, SIZE_T, ValueLayout.ADDRESS, SIZE_T,
            ValueLayout.ADDRESS));
        // EabGuard *eab_guard_new_keywords(const uint8_t *config_json, size_t len, uint32_t matching)
        m.put(GUARD_NEW_KEYWORDS_FN, FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, SIZE_T, ValueLayout.JAVA_INT));
        // int32_t eab_guard_scan_keywords(const EabGuard *guard, const uint8_t *utf8, size_t len, uint64_t *matched_out,
        //                                 int32_t *keywords_out)
        m.put(GUARD_SCAN_KEYWORDS_FN, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, SIZE_T,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        // EabGuardScratch *eab_guard_scratch_new(const EabGuard *guard)
        m.put(GUARD_SCRATCH_NEW_FN, FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        m.put(GUARD_SCRATCH_FREE_FN, FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        // int32_t eab_guard_scan_owned(const EabGuard *guard, EabGuardScratch *scratch, const uint8_t *utf8, size_t len,
        //                              EabScanResult *out)
        m.put(GUARD_SCAN_OWNED_FN, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
            SIZE_T, ValueLayout.ADDRESS));
        // EabImpact *eab_impact_new(uint32_t max_agents, uint32_t matching)
        m.put(IMPACT_NEW_FN, FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        m.put(IMPACT_FREE_FN, FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        // int32_t eab_impact_score(EabImpact *scorer, const uint8_t *text, size_t text_len, const uint8_t *tools, size_t tools_len,
        //     int32_t agent, int32_t priority, int32_t message_type, int32_t flags, int64_t now_ms, double *out)
        m.put(IMPACT_SCORE_FN, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, SIZE_T, ValueLayout.ADDRESS,
            SIZE_T, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
            ValueLayout.ADDRESS));
        // int32_t eab_impact_score_found(EabImpact *scorer, uint32_t keyword_mask, const uint8_t *tools, size_t tools_len,
        //                                int32_t agent, int32_t priority, int32_t message_type, int32_t flags, int64_t now_ms, double *out)
        m.put(IMPACT_SCORE_FOUND_FN, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
            SIZE_T, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
            ValueLayout.ADDRESS));
        // Rego (native-rust/src/rego.rs): bound by RegoBindings.
        m.put(REGO_NEW_FN, FunctionDescriptor.of(ValueLayout.ADDRESS));
        m.put(REGO_FREE_FN, FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        // int32_t eab_rego_add_policy(EabRego*, const uint8_t *name, size_t, const uint8_t *text, size_t, uint8_t *err, size_t, size_t *err_len)
        m.put(REGO_ADD_POLICY_FN, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, SIZE_T,
            ValueLayout.ADDRESS, SIZE_T, ValueLayout.ADDRESS, SIZE_T, ValueLayout.ADDRESS));
        // int32_t eab_rego_add_data(EabRego*, const uint8_t *json, size_t, uint8_t *err, size_t, size_t *err_len)
        m.put(REGO_ADD_DATA_FN, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, SIZE_T,
            ValueLayout.ADDRESS, SIZE_T, ValueLayout.ADDRESS));
        // int32_t eab_rego_prepare(EabRego*, const uint8_t *rule, size_t, uint8_t *err, size_t, size_t *err_len)
        m.put(REGO_PREPARE_FN, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, SIZE_T,
            ValueLayout.ADDRESS, SIZE_T, ValueLayout.ADDRESS));
        // int32_t eab_rego_decide(EabRego*, const uint8_t *input, size_t input_len)
        m.put(REGO_DECIDE_FN, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, SIZE_T));
        // int32_t eab_rego_eval_json(EabRego*, const uint8_t *input_json, size_t, uint8_t *out, size_t, size_t *out_len)
        m.put(REGO_EVAL_JSON_FN, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, SIZE_T,
            ValueLayout.ADDRESS, SIZE_T, ValueLayout.ADDRESS));
        // int32_t eab_rego_input_json(const uint8_t *input, size_t, uint8_t *out, size_t, size_t *out_len)
        m.put(REGO_INPUT_JSON_FN, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, SIZE_T, ValueLayout.ADDRESS, SIZE_T,
            ValueLayout.ADDRESS));
        // int32_t eab_blake3(const uint8_t *data, size_t len, uint8_t *out)
        m.put(BLAKE3_FN, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, SIZE_T, ValueLayout.ADDRESS));
        // int32_t eab_audit_chain_step(const uint8_t *prev, const uint8_t *record, size_t len, uint8_t *out)
        m.put(AUDIT_CHAIN_STEP_FN, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, SIZE_T,
            ValueLayout.ADDRESS));
        // int32_t eab_audit_chain_keyed(const uint8_t *prev, const uint8_t *record, size_t len, uint8_t *out)
        m.put(AUDIT_CHAIN_KEYED_FN, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, SIZE_T,
            ValueLayout.ADDRESS));
        // int32_t eab_audit_chain_batch(uint8_t *link, uint8_t *buf, size_t buf_len, const int32_t *lens, int32_t n)
        m.put(AUDIT_CHAIN_BATCH_FN, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, SIZE_T,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        // int32_t eab_audit_chain_batch_v3(uint8_t *link, uint8_t *buf, size_t buf_len, const int32_t *lens, int32_t n)
        m.put(AUDIT_CHAIN_BATCH_V3_FN, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, SIZE_T,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        // int32_t eab_audit_chain_v3(const uint8_t *prev, const uint8_t *record, size_t len, uint8_t *out)
        m.put(AUDIT_CHAIN_V3_FN, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, SIZE_T,
            ValueLayout.ADDRESS));
        DESCRIPTORS = java.util.Collections.unmodifiableMap(m);
    }

    private NativeFunctions()
    {
    }
}
