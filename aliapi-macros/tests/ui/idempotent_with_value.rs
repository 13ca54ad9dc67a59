use aliapi_core::rpc_action;

#[rpc_action(product = "Sts", version = "2015-04-01", idempotent = "yes")]
pub struct AssumeRole {}

#[derive(serde::Deserialize)]
pub struct AssumeRoleResponse {}

fn main() {}
