use aliapi_core::rpc_action;

#[rpc_action(product = "Cdn", version = "2018-05-10")]
pub struct DescribeThings {
    #[rpc(renmae = "Name")]
    pub name: String,
    #[rpc(skip)]
    pub other: String,
}

fn main() {}
