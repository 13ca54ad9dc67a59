use aliapi_core::rpc_action;

#[rpc_action(product = "Cdn", version = "2018-05-10", produkt = "Cbn")]
pub struct DescribeThings {}

fn main() {}
