use aliapi_core::rpc_action;

#[rpc_action(
    product = "Cdn",
    version = "2018-05-10",
    response = "not a type",
    endpoint = "crate::EndpointRule::central(\"x\")"
)]
pub struct DescribeThings {}

fn main() {}
