use std::collections::HashMap;

use aliapi_core::rpc_action;

#[rpc_action(product = "Cdn", version = "2018-05-10")]
pub struct DescribeThings {
    #[rpc(style = "repeatList")]
    pub name: String,
    #[rpc(style = "repeatList")]
    pub maybe: Option<String>,
    #[rpc(style = "repeatList")]
    pub map: HashMap<String, String>,
}

fn main() {}
