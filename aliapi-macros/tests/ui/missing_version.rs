use aliapi_core::rpc_action;

#[rpc_action(product = "Cdn")]
pub struct DescribeThings {}

fn main() {}
