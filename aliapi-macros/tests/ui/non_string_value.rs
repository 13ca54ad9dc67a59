use aliapi_core::rpc_action;

#[rpc_action(product = Cdn, version = 20180510, method(GET))]
pub struct DescribeThings {
    #[rpc(rename = 5)]
    pub name: String,
    #[rpc(style)]
    pub other: String,
}

fn main() {}
