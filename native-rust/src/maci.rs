//! MACI separation of powers, compiled (reference §2.4, §3.4).
//!
//! Java compiles the role and action tables into an [`EabMaciConfig`] once
//! (roles by `MaciRole` ordinal, actions by `MaciAction` ordinal, message
//! types by `MessageType` ordinal) and resolves the per-message facts that
//! need strings or maps (the sender's role, the target agent named by the
//! message, the producer of the target output from the provenance store)
//! into the header: three role bytes and six `EAB_FLAG_MACI_*` bits. Rust
//! then decides with integer compares only, in the same order as the Java
//! twin (`dev.eab.core.maci.MaciTables#check`), which the differential test
//! proves over generated role x type x target headers.
//!
//! Check order (after the tenant checks, before policy):
//! 1. sender without a role: `EAB_MACI_ROLE_NOT_ASSIGNED` in strict mode,
//!    otherwise MACI does not apply to the message;
//! 2. message type mapped to no action: `EAB_MACI_UNMAPPED_TYPE` in strict
//!    mode, otherwise MACI does not apply;
//! 3. the role lacks the action: `EAB_MACI_ROLE_VIOLATION`;
//! 4. for VALIDATE only, a named target agent: the sender itself
//!    (`EAB_MACI_SELF_VALIDATION`), not registered (`EAB_MACI_TARGET_NOT_FOUND`
//!    in strict mode), a role the sender may not validate
//!    (`EAB_MACI_CROSS_ROLE`);
//! 5. for VALIDATE only, a named target output: produced by the sender
//!    (`EAB_MACI_SELF_VALIDATION`), unknown producer
//!    (`EAB_MACI_TARGET_NOT_FOUND` in strict mode), a producer role the
//!    sender may not validate (`EAB_MACI_CROSS_ROLE`).

use crate::{
    EabMessageHeader, EAB_OK,
};

/// Sender has no MACI role (strict mode).
pub const EAB_MACI_ROLE_NOT_ASSIGNED: i32 = 23;
/// Message type maps to no MACI action (strict mode).
pub const EAB_MACI_UNMAPPED_TYPE: i32 = 24;
/// The sender's role does not permit the message's action.
pub const EAB_MACI_ROLE_VIOLATION: i32 = 25;
/// A validation aimed at the sender itself or at its own output.
pub const EAB_MACI_SELF_VALIDATION: i32 = 26;
/// The sender's role may not validate the target's role.
pub const EAB_MACI_CROSS_ROLE: i32 = 27;
/// The target agent is not registered or the target output has no known
/// producer (strict mode).
pub const EAB_MACI_TARGET_NOT_FOUND: i32 = 28;

/// `EabMaciConfig.flags`: strict mode.
pub const EAB_MACI_STRICT: u32 = 1;
/// Action id of VALIDATE (the only action whose targets are checked).
pub const EAB_MACI_ACTION_VALIDATE: i32 = 1;
/// Role byte meaning "no role".
pub const EAB_MACI_NO_ROLE: i32 = -1;
/// Number of roles (ids 0..6).
pub const EAB_MACI_ROLE_COUNT: u32 = 7;
/// Number of actions (ids 0..9).
pub const EAB_MACI_ACTION_COUNT: u32 = 10;

/// Header flag: the message names a target agent.
pub const EAB_FLAG_MACI_TARGET_AGENT: u32 = 16;
/// Header flag: the named target agent is registered.
pub const EAB_FLAG_MACI_TARGET_AGENT_FOUND: u32 = 32;
/// Header flag: the named target agent is the sender.
pub const EAB_FLAG_MACI_TARGET_AGENT_IS_SENDER: u32 = 64;
/// Header flag: the message names a target output.
pub const EAB_FLAG_MACI_TARGET_OUTPUT: u32 = 128;
/// Header flag: the target output's producer is known.
pub const EAB_FLAG_MACI_PRODUCER_KNOWN: u32 = 256;
/// Header flag: the target output was produced by the sender (or its
/// provenance is ambiguous: fail closed).
pub const EAB_FLAG_MACI_PRODUCED_BY_SENDER: u32 = 512;

const TYPE_SLOTS: usize = 16;
const ROLE_SLOTS: usize = 8;

/// The compiled MACI tables handed to `eab_engine_new_maci`. 84 bytes,
/// align 4.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EabMaciConfig {
    /// `EAB_MACI_STRICT` or 0; other bits must be 0.
    pub flags: u32,
    /// MessageType ordinal -> action id (0..9), -1 = unmapped.
    pub type_actions: [i8; 16],
    /// Role id -> bitmask of permitted action ids; slot 7 must be 0.
    pub role_actions: [u32; 8],
    /// Role id -> bitmask of the role ids it may validate; slot 7 must be 0.
    pub role_validates: [u32; 8],
}

const _: () = assert!(core::mem::size_of::<EabMaciConfig>() == 84);
const _: () = assert!(core::mem::align_of::<EabMaciConfig>() == 4);
const _: () = assert!(core::mem::offset_of!(EabMaciConfig, flags) == 0);
const _: () = assert!(core::mem::offset_of!(EabMaciConfig, type_actions) == 4);
const _: () = assert!(core::mem::offset_of!(EabMaciConfig, role_actions) == 20);
const _: () = assert!(core::mem::offset_of!(EabMaciConfig, role_validates) == 52);

/// Validated MACI tables inside an engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MaciTables {
    config: EabMaciConfig,
}

impl MaciTables {
    /// Checks a config: known flag bits, actions in range, masks within the
    /// role and action counts. `None` when anything is out of range.
    pub fn new(config: &EabMaciConfig) -> Option<Self> {
        if config.flags & !EAB_MACI_STRICT != 0 {
            return None;
        }
        if config
            .type_actions
            .iter()
            .any(|&a| a < -1 || i32::from(a) >= EAB_MACI_ACTION_COUNT as i32)
        {
            return None;
        }
        let action_bits = (1u32 << EAB_MACI_ACTION_COUNT) - 1;
        let role_bits = (1u32 << EAB_MACI_ROLE_COUNT) - 1;
        for r in 0..ROLE_SLOTS {
            let live = r < EAB_MACI_ROLE_COUNT as usize;
            let a = config.role_actions[r];
            let v = config.role_validates[r];
            if (live && (a & !action_bits != 0 || v & !role_bits != 0)) || (!live && (a != 0 || v != 0)) {
                return None;
            }
        }
        Some(Self { config: *config })
    }

    #[inline]
    fn can_validate(&self, role: usize, target_role: i8) -> bool {
        (target_role as u8 as u32) < EAB_MACI_ROLE_COUNT
            && (self.config.role_validates[role] >> target_role) & 1 == 1
    }

    /// The MACI verdict for one header (see the module docs for the order).
    #[inline]
    pub fn check(&self, h: &EabMessageHeader) -> i32 {
        let strict = self.config.flags & EAB_MACI_STRICT != 0;
        let role = h.sender_role as u8 as u32;
        if role >= EAB_MACI_ROLE_COUNT {
            return if strict { EAB_MACI_ROLE_NOT_ASSIGNED } else { EAB_OK };
        }
        let role = role as usize;
        let action = if (h.message_type as u32) < TYPE_SLOTS as u32 {
            i32::from(self.config.type_actions[h.message_type as usize])
        } else {
            -1
        };
        if action < 0 {
            return if strict { EAB_MACI_UNMAPPED_TYPE } else { EAB_OK };
        }
        if (self.config.role_actions[role] >> action) & 1 == 0 {
            return EAB_MACI_ROLE_VIOLATION;
        }
        if action != EAB_MACI_ACTION_VALIDATE {
            return EAB_OK;
        }
        let f = h.flags;
        if f & EAB_FLAG_MACI_TARGET_AGENT != 0 {
            if f & EAB_FLAG_MACI_TARGET_AGENT_IS_SENDER != 0 {
                return EAB_MACI_SELF_VALIDATION;
            }
            if f & EAB_FLAG_MACI_TARGET_AGENT_FOUND == 0 {
                if strict {
                    return EAB_MACI_TARGET_NOT_FOUND;
                }
            } else if !self.can_validate(role, h.target_agent_role) {
                return EAB_MACI_CROSS_ROLE;
            }
        }
        if f & EAB_FLAG_MACI_TARGET_OUTPUT != 0 {
            if f & EAB_FLAG_MACI_PRODUCED_BY_SENDER != 0 {
                return EAB_MACI_SELF_VALIDATION;
            }
            if f & EAB_FLAG_MACI_PRODUCER_KNOWN == 0 {
                if strict {
                    return EAB_MACI_TARGET_NOT_FOUND;
                }
            } else if !self.can_validate(role, h.producer_role) {
                return EAB_MACI_CROSS_ROLE;
            }
        }
        EAB_OK
    }
}

#[cfg(test)]
mod maci_tests {
    use super::*;

    /// The reference §2.4 tables, as Java compiles them.
    fn reference(strict: bool) -> EabMaciConfig {
        // actions: propose 0, validate 1, extract_rules 2, synthesize 3, audit 4, query 5,
        // manage_policy 6, emergency_cooldown 7, monitor_activity 8, enforce_control 9
        // roles: executive 0, legislative 1, judicial 2, monitor 3, auditor 4, controller 5, implementer 6
        let mut c = EabMaciConfig {
            flags: if strict { EAB_MACI_STRICT } else { 0 },
            type_actions: [-1; 16],
            ..Default::default()
        };
        c.type_actions[7] = 0; // governance_request -> propose
        c.role_actions = [
            1 << 0 | 1 << 3 | 1 << 5,
            1 << 2 | 1 << 3 | 1 << 5,
            1 << 1 | 1 << 4 | 1 << 5 | 1 << 7,
            1 << 8 | 1 << 5,
            1 << 4 | 1 << 5,
            1 << 9 | 1 << 5,
            1 << 3 | 1 << 5,
            0,
        ];
        c.role_validates = [0, 0, 1 << 0 | 1 << 1 | 1 << 6, 0, 1 << 3 | 1 << 5 | 1 << 6, 0, 0, 0];
        c.type_actions[8] = 1; // a validate type
        c
    }

    fn header(role: i8, message_type: i32, flags: u32, target: i8, producer: i8) -> EabMessageHeader {
        EabMessageHeader {
            sender_role: role,
            message_type,
            flags,
            target_agent_role: target,
            producer_role: producer,
            ..Default::default()
        }
    }

    #[test]
    fn order_and_strictness() {
        let strict = MaciTables::new(&reference(true)).unwrap();
        let lax = MaciTables::new(&reference(false)).unwrap();
        assert_eq!(strict.check(&header(-1, 7, 0, -1, -1)), EAB_MACI_ROLE_NOT_ASSIGNED);
        assert_eq!(lax.check(&header(-1, 7, 0, -1, -1)), EAB_OK);
        assert_eq!(strict.check(&header(0, 3, 0, -1, -1)), EAB_MACI_UNMAPPED_TYPE);
        assert_eq!(lax.check(&header(0, 3, 0, -1, -1)), EAB_OK);
        assert_eq!(strict.check(&header(0, 8, 0, -1, -1)), EAB_MACI_ROLE_VIOLATION);
        assert_eq!(strict.check(&header(0, 7, 0, -1, -1)), EAB_OK);
        let t = EAB_FLAG_MACI_TARGET_AGENT;
        assert_eq!(strict.check(&header(2, 8, t | EAB_FLAG_MACI_TARGET_AGENT_IS_SENDER, 2, -1)), EAB_MACI_SELF_VALIDATION);
        assert_eq!(strict.check(&header(2, 8, t, -1, -1)), EAB_MACI_TARGET_NOT_FOUND);
        assert_eq!(lax.check(&header(2, 8, t, -1, -1)), EAB_OK);
        assert_eq!(strict.check(&header(2, 8, t | EAB_FLAG_MACI_TARGET_AGENT_FOUND, 2, -1)), EAB_MACI_CROSS_ROLE);
        assert_eq!(strict.check(&header(2, 8, t | EAB_FLAG_MACI_TARGET_AGENT_FOUND, 0, -1)), EAB_OK);
        let o = EAB_FLAG_MACI_TARGET_OUTPUT;
        assert_eq!(strict.check(&header(2, 8, o | EAB_FLAG_MACI_PRODUCED_BY_SENDER | EAB_FLAG_MACI_PRODUCER_KNOWN, -1, 2)),
            EAB_MACI_SELF_VALIDATION);
        assert_eq!(strict.check(&header(2, 8, o, -1, -1)), EAB_MACI_TARGET_NOT_FOUND);
        assert_eq!(lax.check(&header(2, 8, o, -1, -1)), EAB_OK);
        assert_eq!(strict.check(&header(4, 8, o | EAB_FLAG_MACI_PRODUCER_KNOWN, -1, 3)), EAB_MACI_ROLE_VIOLATION);
        assert_eq!(strict.check(&header(2, 8, o | EAB_FLAG_MACI_PRODUCER_KNOWN, -1, 4)), EAB_MACI_CROSS_ROLE);
        assert_eq!(strict.check(&header(2, 8, o | EAB_FLAG_MACI_PRODUCER_KNOWN, -1, 6)), EAB_OK);
    }

    #[test]
    fn bad_configs_are_refused() {
        let mut c = reference(true);
        c.flags = 2;
        assert!(MaciTables::new(&c).is_none());
        let mut c = reference(true);
        c.type_actions[0] = 10;
        assert!(MaciTables::new(&c).is_none());
        let mut c = reference(true);
        c.role_actions[7] = 1;
        assert!(MaciTables::new(&c).is_none());
        let mut c = reference(true);
        c.role_validates[2] = 1 << 7;
        assert!(MaciTables::new(&c).is_none());
    }
}
