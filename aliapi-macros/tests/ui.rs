//! Compile-time behaviour of `#[rpc_action]`: every misuse is a compile
//! error at the token it is about (`tests/ui/*.rs` with the expected
//! `.stderr`), and a full valid use compiles (`tests/ui/pass/`).
//!
//! Regenerate the expected output with `TRYBUILD=overwrite cargo test -p
//! aliapi-macros --test ui`, then read every changed `.stderr`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
