//! Compile-time behaviour of `#[rpc_action]`: every misuse is a compile
//! error at the token it is about (`tests/ui/*.rs` with the expected
//! `.stderr`). The full valid use is `tests/expand/full_use.rs`: with only
//! compile-fail cases, trybuild checks instead of building, which keeps
//! this test cheap.
//!
//! Regenerate the expected output with `TRYBUILD=overwrite cargo test -p
//! aliapi-macros --test ui`, then read every changed `.stderr`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
