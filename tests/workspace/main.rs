//! The workspace's integration tests: the client against the emulator, hostile servers and test doubles.
//!
//! One binary rather than one per file: each test binary links the whole
//! stack (tokio, hyper, reqwest, rustls), and linking them one by one was a
//! large part of the test run.

mod common;
mod server;
#[path = "../../aliapi-core/tests/core/traces.rs"]
mod traces;

mod cdn_lifecycle;
mod cen_lifecycle;
mod clock_skew;
mod headers_once;
mod hostile_answers;
mod network_control;
mod refusals;
mod retries_against_faults;
mod test_doubles;
