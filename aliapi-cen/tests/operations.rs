//! Every operation of the crate, driven through its registry and judged
//! against the merged spec, read at run time (see `aliapi-testkit`): the
//! params each writes, what arrives at a loopback server and its signature,
//! the answers each decodes in JSON and XML, each paginator, and every
//! form-body operation signed with V3 against the emulator. The tests
//! themselves are `aliapi_testkit::operation_tests!`, shared with the
//! other product crate; the modules below are this crate's own.

aliapi_testkit::operation_tests!(aliapi_cen, aliapi_spec::cbn());

#[path = "operations/waiters.rs"]
mod waiters;

#[path = "operations/errors.rs"]
mod errors;

#[path = "operations/enums.rs"]
mod enums;
