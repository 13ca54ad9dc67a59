use aliapi_core::rpc_action;

#[rpc_action(version = "2018-05-10")]
pub struct DescribeThings {}

fn main() {}
