use aliapi_core::rpc_action;

#[rpc_action]
pub struct DescribeThings {}

fn main() {}
