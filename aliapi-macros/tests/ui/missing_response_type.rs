use aliapi_core::rpc_action;

// No `DescribeThingsResponse` exists: rustc reports it at the struct name.
#[rpc_action(product = "Cdn", version = "2018-05-10")]
pub struct DescribeThings {}

fn main() {}
