use aliapi_core::rpc_action;

#[rpc_action(product = "Cdn", version = "2018-05-10")]
pub struct DescribeThings {
    #[rpc(style = "flat")]
    pub names: Vec<String>,
    #[rpc(style = "flat")]
    pub maybe: Option<Vec<String>>,
}

fn main() {}
