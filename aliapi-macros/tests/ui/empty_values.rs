use aliapi_core::rpc_action;

#[rpc_action(product = "", version = "", action = "Describe Things")]
pub struct DescribeThings {
    #[rpc(rename = "")]
    pub name: String,
}

fn main() {}
