//! How a domain's status moves after each write (`specs/waiters.md`):
//!
//! | write | through | to |
//! | --- | --- | --- |
//! | `AddCdnDomain` | `checking`, `configuring` | `online` |
//! | `StartCdnDomain` | `configuring` | `online` |
//! | `StopCdnDomain` | `stopping` | `offline` |
//! | `DeleteCdnDomain` | `deleting` | gone |
//!
//! The transitional statuses share the settle time. A domain whose name
//! starts with `fail-config.` ends in `configure_failed` instead of
//! `online`, and one that starts with `fail-check.` in `check_failed`
//! after `checking`, so that the failure states of waiters can be tested.
//! A write that would move a domain where it is already going (starting
//! an online domain, stopping a stopping one, deleting one being deleted)
//! changes nothing.

use crate::product::Ctx;
use crate::product::lifecycle::{Lifecycle, Next};

/// The name prefix that makes configuring fail.
pub const FAIL_CONFIG_PREFIX: &str = "fail-config.";
/// The name prefix that makes the check of a new domain fail.
pub const FAIL_CHECK_PREFIX: &str = "fail-check.";

/// Where a domain is going: its last pending status, else the one it has.
fn heading(l: &Lifecycle) -> Option<&str> {
    match l.pending.last() {
        Some(step) => match &step.to {
            Next::Status(s) => Some(s),
            Next::Gone => None,
        },
        None => Some(&l.status),
    }
}

/// Brings domain `name` online (or to its failure), through `through`.
fn bring_online(l: &mut Lifecycle, name: &str, ctx: &Ctx, through: &[&str]) {
    if name.starts_with(FAIL_CHECK_PREFIX) {
        l.start(
            ctx.now_ms,
            ctx.settle_ms,
            &["checking"],
            Next::status("check_failed"),
        );
    } else if name.starts_with(FAIL_CONFIG_PREFIX) {
        l.start(
            ctx.now_ms,
            ctx.settle_ms,
            through,
            Next::status("configure_failed"),
        );
    } else {
        l.start(ctx.now_ms, ctx.settle_ms, through, Next::status("online"));
    }
}

/// A domain just added.
pub(super) fn added(l: &mut Lifecycle, name: &str, ctx: &Ctx) {
    bring_online(l, name, ctx, &["checking", "configuring"]);
}

/// `StartCdnDomain`; whether anything changed.
pub(super) fn started(l: &mut Lifecycle, name: &str, ctx: &Ctx) -> bool {
    // A domain online or on its way there is left to it.
    if heading(l) == Some("online") {
        return false;
    }
    bring_online(l, name, ctx, &["configuring"]);
    true
}

/// `StopCdnDomain`; whether anything changed.
pub(super) fn stopped(l: &mut Lifecycle, ctx: &Ctx) -> bool {
    if heading(l) == Some("offline") {
        return false;
    }
    l.start(
        ctx.now_ms,
        ctx.settle_ms,
        &["stopping"],
        Next::status("offline"),
    );
    true
}

/// `DeleteCdnDomain`; whether anything changed.
pub(super) fn deleted(l: &mut Lifecycle, ctx: &Ctx) -> bool {
    if l.is_leaving() {
        return false;
    }
    l.start(ctx.now_ms, ctx.settle_ms, &["deleting"], Next::Gone);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::product::lifecycle::Settled;

    const CTX: Ctx = Ctx {
        now_ms: 1_000,
        settle_ms: 100,
    };

    /// The statuses a domain is seen in at each tenth of the settle time.
    fn path(l: &mut Lifecycle) -> Vec<String> {
        let mut seen: Vec<String> = Vec::new();
        for t in (0..=10).map(|i| CTX.now_ms + i * 10) {
            if l.settle(t) == Settled::Gone {
                seen.push("gone".into());
                break;
            }
            if seen.last() != Some(&l.status) {
                seen.push(l.status.clone());
            }
        }
        seen
    }

    #[test]
    fn each_write_moves_through_its_statuses() {
        let mut l = Lifecycle::default();
        added(&mut l, "www.example.com", &CTX);
        assert_eq!(path(&mut l), ["checking", "configuring", "online"]);
        assert!(stopped(&mut l, &CTX));
        assert_eq!(path(&mut l), ["stopping", "offline"]);
        assert!(!stopped(&mut l, &CTX), "stopping an offline domain");
        assert!(started(&mut l, "www.example.com", &CTX));
        assert_eq!(path(&mut l), ["configuring", "online"]);
        assert!(
            !started(&mut l, "www.example.com", &CTX),
            "starting an online one"
        );
        assert!(deleted(&mut l, &CTX));
        assert!(!deleted(&mut l, &CTX), "deleting one being deleted");
        assert_eq!(path(&mut l), ["deleting", "gone"]);
    }

    #[test]
    fn failing_names_end_in_the_failure_states() {
        let mut l = Lifecycle::default();
        added(&mut l, "fail-config.example.com", &CTX);
        assert_eq!(
            path(&mut l),
            ["checking", "configuring", "configure_failed"]
        );
        assert!(started(&mut l, "fail-config.example.com", &CTX));
        assert_eq!(path(&mut l), ["configuring", "configure_failed"]);
        let mut c = Lifecycle::default();
        added(&mut c, "fail-check.example.com", &CTX);
        assert_eq!(path(&mut c), ["checking", "check_failed"]);
    }

    #[test]
    fn a_domain_still_being_added_is_left_to_finish_when_started() {
        let mut l = Lifecycle::default();
        added(&mut l, "a.example.com", &CTX);
        l.settle(CTX.now_ms + 60);
        assert!(l.is("configuring"));
        assert!(!started(&mut l, "a.example.com", &CTX));
        l.settle(CTX.now_ms + 100);
        assert!(l.is("online"));
    }
}
