//! How CEN's resources move after each write (`specs/waiters.md`):
//!
//! | resource | create | delete |
//! | --- | --- | --- |
//! | CEN instance | `Creating` → `Active` | `Deleting` → gone |
//! | network instance (`AttachCenChildInstance`) | `Attaching` → `Attached` | `Detaching` → gone |
//! | transit router | `Creating` → `Active` | `Deleting` → gone |
//! | transit router attachment (VPC, VBR, peer, VPN, ECR) | `Attaching` → `Attached` | `Detaching` → gone |
//! | transit router route table | `Creating` → `Active` | `Deleting` → gone |
//!
//! Each move takes the settle time. A resource whose name starts with
//! `fail-` (`Name`, `TransitRouterName`, `TransitRouterAttachmentName`,
//! `TransitRouterRouteTableName`; for a network instance, its
//! `ChildInstanceId`) moves to its leaving status (`Deleting`, or
//! `Detaching` for what is attached) instead of its active one, and is
//! gone one settle time later, as a creation the service rolls back. A
//! delete of something already leaving changes nothing.
//!
//! Bandwidth packages have no transitional status: `Idle` once created,
//! `InUse` while associated, gone once deleted.

use crate::product::Ctx;
use crate::product::lifecycle::{Lifecycle, Next};

/// The name prefix that makes a creation fail.
pub const FAIL_PREFIX: &str = "fail-";

/// The statuses of one kind of resource.
#[derive(Debug, Clone, Copy)]
pub(super) struct Statuses {
    /// While it is being made.
    pub(super) arriving: &'static str,
    /// Once it is there.
    pub(super) active: &'static str,
    /// While it is going.
    pub(super) leaving: &'static str,
}

/// CEN instances, transit routers and route tables.
pub(super) const CREATED: Statuses = Statuses {
    arriving: "Creating",
    active: "Active",
    leaving: "Deleting",
};

/// Network instances and transit router attachments.
pub(super) const ATTACHED: Statuses = Statuses {
    arriving: "Attaching",
    active: "Attached",
    leaving: "Detaching",
};

/// A resource just created, named `name`.
pub(super) fn created(l: &mut Lifecycle, s: Statuses, name: &str, ctx: &Ctx) {
    if name.starts_with(FAIL_PREFIX) {
        l.start(
            ctx.now_ms,
            ctx.settle_ms,
            &[s.arriving],
            Next::status(s.leaving),
        );
        l.then(ctx.now_ms, ctx.settle_ms, Next::Gone);
    } else {
        l.start(
            ctx.now_ms,
            ctx.settle_ms,
            &[s.arriving],
            Next::status(s.active),
        );
    }
}

/// A resource deleted; whether anything changed.
pub(super) fn deleted(l: &mut Lifecycle, s: Statuses, ctx: &Ctx) -> bool {
    if l.is_leaving() {
        return false;
    }
    l.start(ctx.now_ms, ctx.settle_ms, &[s.leaving], Next::Gone);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::product::lifecycle::Settled;

    const CTX: Ctx = Ctx {
        now_ms: 0,
        settle_ms: 10,
    };

    fn seen(l: &mut Lifecycle, at: i64) -> String {
        match l.settle(at) {
            Settled::Here => l.status.clone(),
            Settled::Gone => "gone".into(),
        }
    }

    #[test]
    fn created_then_deleted() {
        for s in [CREATED, ATTACHED] {
            let mut l = Lifecycle::default();
            created(&mut l, s, "net", &CTX);
            assert_eq!(seen(&mut l, 0), s.arriving);
            assert_eq!(seen(&mut l, 9), s.arriving);
            assert_eq!(seen(&mut l, 10), s.active);
            let later = Ctx { now_ms: 20, ..CTX };
            assert!(deleted(&mut l, s, &later));
            assert!(!deleted(&mut l, s, &later));
            assert_eq!(seen(&mut l, 20), s.leaving);
            assert_eq!(seen(&mut l, 30), "gone");
        }
    }

    #[test]
    fn a_failing_name_leaves_instead_of_arriving() {
        let mut l = Lifecycle::default();
        created(&mut l, CREATED, "fail-net", &CTX);
        assert_eq!(seen(&mut l, 0), "Creating");
        assert_eq!(seen(&mut l, 10), "Deleting");
        assert!(!deleted(&mut l, CREATED, &CTX), "already leaving");
        assert_eq!(seen(&mut l, 19), "Deleting");
        assert_eq!(seen(&mut l, 20), "gone");
    }
}
