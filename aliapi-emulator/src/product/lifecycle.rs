//! Statuses that move on their own: a resource's status now, and the
//! steps it will still take, each at an instant of the state clock (see
//! [`state_clock`](crate::state_clock)).
//!
//! A write starts a change with [`Lifecycle::start`]: the resource passes
//! through its transitional statuses, which share the settle time in
//! order, and reaches its end (a status, or gone) when the settle time is
//! over. Each lock of a product's state applies the steps that are due,
//! so a resource is always seen as it stands at the time of the call.
//! Steps are saved with the state, so a change under way survives a
//! restart.

use serde::{Deserialize, Serialize};

/// Where a step takes a resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Next {
    /// To this status.
    Status(String),
    /// Away: the resource no longer exists.
    Gone,
}

impl Next {
    /// A step to `status`.
    pub fn status(status: &str) -> Next {
        Next::Status(status.to_owned())
    }
}

/// One step still to come.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// When it is taken, in ms since the epoch on the state clock.
    pub at_ms: i64,
    /// Where it takes the resource.
    pub to: Next,
}

/// Whether a resource is still there after its due steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// It is, with the status it reached.
    Here,
    /// It has gone.
    Gone,
}

/// A resource's status and the steps it will still take.
///
/// It is kept flattened into the resource's own record, so a state file
/// shows `"status"` and `"pending"` next to the resource's other fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Lifecycle {
    /// The status now.
    pub status: String,
    /// The steps still to come, earliest first.
    pub pending: Vec<Step>,
    /// When the one transition of a state file written before steps
    /// existed ends; read, never written.
    #[serde(rename = "settles_at_ms", skip_serializing)]
    legacy_due_ms: Option<i64>,
}

impl Lifecycle {
    /// A resource in `status`, with nothing under way.
    pub fn settled(status: &str) -> Lifecycle {
        Lifecycle {
            status: status.to_owned(),
            ..Lifecycle::default()
        }
    }

    /// Starts a change at `now_ms`: the resource takes each status of
    /// `through` in turn, sharing `settle_ms` between them, and reaches
    /// `end` when `settle_ms` has passed. Whatever was under way is
    /// dropped. The steps are taken by the next [`settle`](Lifecycle::settle)
    /// (the first of `through` is due at once), which the owner runs
    /// before the state is unlocked, so that a step to gone removes the
    /// resource.
    pub fn start(&mut self, now_ms: i64, settle_ms: i64, through: &[&str], end: Next) {
        self.pending.clear();
        self.legacy_due_ms = None;
        let share = match i64::try_from(through.len()) {
            Ok(n) if n > 0 => settle_ms / n,
            _ => 0,
        };
        for (i, status) in through.iter().enumerate() {
            let offset = share.saturating_mul(i as i64);
            self.pending.push(Step {
                at_ms: now_ms.saturating_add(offset),
                to: Next::status(status),
            });
        }
        self.pending.push(Step {
            at_ms: now_ms.saturating_add(settle_ms),
            to: end,
        });
    }

    /// Adds a step after those under way, `after_ms` past the last of
    /// them (or past `now_ms` when none is).
    pub fn then(&mut self, now_ms: i64, after_ms: i64, to: Next) {
        let last = self.pending.last().map_or(now_ms, |s| s.at_ms);
        self.pending.push(Step {
            at_ms: last.saturating_add(after_ms),
            to,
        });
    }

    /// Takes every step due at `now_ms`.
    pub fn settle(&mut self, now_ms: i64) -> Settled {
        let due = self.pending.partition_point(|s| s.at_ms <= now_ms);
        for step in self.pending.drain(..due) {
            match step.to {
                Next::Status(s) => self.status = s,
                Next::Gone => return Settled::Gone,
            }
        }
        Settled::Here
    }

    /// Whether the status is `status`.
    pub fn is(&self, status: &str) -> bool {
        self.status == status
    }

    /// Whether the resource is on its way out: its last step takes it
    /// away.
    pub fn is_leaving(&self) -> bool {
        self.pending.last().is_some_and(|s| s.to == Next::Gone)
    }

    /// Reads the one transition a state file written before steps existed
    /// recorded: a resource in `moving` (or with no status at all) that
    /// had a time to become `to` now has that step. Called before
    /// [`settle`](Lifecycle::settle); does nothing to a current record.
    pub fn upgrade(&mut self, moving: &str, to: &str) {
        let Some(due) = self.legacy_due_ms.take() else {
            if self.status.is_empty() {
                self.status = to.to_owned();
            }
            return;
        };
        if self.status.is_empty() {
            self.status = moving.to_owned();
        }
        if self.status == moving && self.pending.is_empty() {
            self.pending.push(Step {
                at_ms: due,
                to: Next::status(to),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitional_statuses_share_the_settle_time() {
        let mut l = Lifecycle::settled("offline");
        l.start(
            1_000,
            100,
            &["checking", "configuring"],
            Next::status("online"),
        );
        assert!(l.is("offline"), "nothing is taken before the owner settles");
        assert_eq!(l.settle(1_000), Settled::Here);
        assert!(l.is("checking"));
        assert_eq!(l.settle(1_049), Settled::Here);
        assert!(l.is("checking"));
        l.settle(1_050);
        assert!(l.is("configuring"));
        l.settle(1_099);
        assert!(l.is("configuring"));
        l.settle(1_100);
        assert!(l.is("online"));
        assert!(l.pending.is_empty());
    }

    #[test]
    fn a_zero_settle_time_ends_at_once() {
        let mut l = Lifecycle::settled("online");
        l.start(5, 0, &["stopping"], Next::status("offline"));
        assert_eq!(l.settle(5), Settled::Here);
        assert!(l.is("offline"));
        let mut gone = Lifecycle::settled("Active");
        gone.start(5, 0, &["Deleting"], Next::Gone);
        assert!(gone.is_leaving());
        assert_eq!(gone.settle(5), Settled::Gone);
    }

    #[test]
    fn leaving_and_later_steps() {
        let mut l = Lifecycle::default();
        l.start(0, 10, &["Creating"], Next::status("Deleting"));
        l.then(0, 10, Next::Gone);
        l.settle(0);
        assert!(l.is("Creating") && l.is_leaving());
        assert_eq!(l.settle(10), Settled::Here);
        assert!(l.is("Deleting"));
        assert_eq!(l.settle(19), Settled::Here);
        assert_eq!(l.settle(20), Settled::Gone);
        // A new change replaces the one under way.
        let mut again = Lifecycle::default();
        again.start(0, 10, &["Creating"], Next::status("Active"));
        again.start(3, 10, &["Deleting"], Next::Gone);
        again.settle(3);
        assert!(again.is("Deleting"));
        assert_eq!(again.settle(12), Settled::Here);
        assert_eq!(again.settle(13), Settled::Gone);
    }

    #[test]
    fn records_of_the_old_state_file_are_upgraded() {
        let old: Lifecycle =
            serde_json::from_str(r#"{"status": "configuring", "settles_at_ms": 50}"#).unwrap();
        let mut l = old.clone();
        l.upgrade("configuring", "online");
        l.settle(49);
        assert!(l.is("configuring"));
        l.settle(50);
        assert!(l.is("online"));
        // A record with a time but no status (old child instances).
        let mut child: Lifecycle = serde_json::from_str(r#"{"settles_at_ms": 50}"#).unwrap();
        child.upgrade("Attaching", "Attached");
        assert!(child.is("Attaching"));
        child.settle(60);
        assert!(child.is("Attached"));
        // Neither: the end status.
        let mut bare = Lifecycle::default();
        bare.upgrade("Attaching", "Attached");
        assert!(bare.is("Attached"));
        // The legacy time is never written back.
        let text = serde_json::to_string(&old).unwrap();
        assert!(!text.contains("settles_at_ms"), "{text}");
    }
}
