//! The emulator's integration tests: every operation, refusals, faults, transitions, state files.
//!
//! One binary rather than one per file: each test binary links the whole
//! stack (tokio, hyper, reqwest, rustls), and linking them one by one was a
//! large part of the test run.

mod common;

mod catalogue;
mod every_operation;
mod faults;
mod hostile;
mod judge_props;
mod lifecycle;
mod products;
mod refusals;
mod state_file;
mod transitions;
mod v3_signature;
