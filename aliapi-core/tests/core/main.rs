//! The core's integration tests, in one binary: each module is one concern
//! (the fake servers they share are `support` and `credentials_support`;
//! `traces` captures log lines per test).
//! One binary links once; forty would link forty times.

mod ca_bundle;
mod credentials_chain;
mod credentials_ecs;
mod credentials_files;
mod credentials_sts;
mod credentials_support;
mod credentials_uri;
mod decode_props;
mod encode_props;
mod layers;
mod retry;
mod round_trip;
mod sign_props;
mod support;
mod traces;
mod tracing_redaction;
mod v3_client;
mod waiter;
