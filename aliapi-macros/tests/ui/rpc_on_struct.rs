use aliapi_core::rpc_action;

#[rpc_action(product = "Cdn", version = "2018-05-10")]
#[rpc(style = "json")]
pub struct DescribeThings {
    pub name: String,
}

fn main() {}
